$ docker trust inspect --pretty registry.example.com/ref/empty
