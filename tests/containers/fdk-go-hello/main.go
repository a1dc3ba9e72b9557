// The official Go FDK's hello function, the yardstick for fdk-cpp's hello in
// scripts/test-containers.sh: it answers {"message":"Hello NAME"} to {"name":NAME}.
package main

import (
	"context"
	"encoding/json"
	"io"

	fdk "github.com/fnproject/fdk-go"
)

type request struct {
	Name string `json:"name"`
}

func hello(_ context.Context, in io.Reader, out io.Writer) {
	req := request{Name: "World"}
	_ = json.NewDecoder(in).Decode(&req)
	_ = json.NewEncoder(out).Encode(map[string]string{"message": "Hello " + req.Name})
}

func main() {
	fdk.Handle(fdk.HandlerFunc(hello))
}
