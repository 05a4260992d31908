$ docker trust inspect registry.example.com/ref/empty
