$ docker trust inspect --pretty registry.example.com/ref/plain:v1 registry.example.com/ref/empty
