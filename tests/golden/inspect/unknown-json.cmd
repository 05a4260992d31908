$ docker trust inspect registry.example.com/ref/unknown
