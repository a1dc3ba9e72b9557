#include "hello.hpp"

int main() { return fdk::run(hello); }
