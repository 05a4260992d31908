$ docker trust inspect --pretty registry.example.com/ref/app:v2
