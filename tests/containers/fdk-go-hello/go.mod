module fdk-cpp.test/fdk-go-hello

go 1.23

require github.com/fnproject/fdk-go v0.1.15
