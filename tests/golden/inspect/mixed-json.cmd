$ docker trust inspect registry.example.com/ref/plain registry.example.com/ref/unknown
