$ docker trust inspect registry.example.com/ref/app:v1@sha256:3bfc269594ef649228e9a74bab00f042efc91d5acc6fbee31a382e80d42388fe
