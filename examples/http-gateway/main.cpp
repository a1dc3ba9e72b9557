#include "gateway.hpp"

int main() { return fdk::run(gateway); }
