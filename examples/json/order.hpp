// The json example: a typed handler. The FDK parses the body into `Order` and serialises the
// returned `Quote`; a body that is not JSON or lacks a field gets a 400 with a clear message.
#pragma once

#include <string>
#include <vector>

#include <fdk/fdk.hpp>
#include <fdk/json.hpp>

struct OrderLine {
  std::string item;
  int quantity = 0;
  double unit_price = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(OrderLine, item, quantity, unit_price)

struct Order {
  std::string customer;
  std::vector<OrderLine> lines;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Order, customer, lines)

struct Quote {
  std::string customer;
  int items = 0;
  double total = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Quote, customer, items, total)

/// Prices an order; an empty order or a non-positive quantity is a 422 for the caller.
Quote quote(fdk::Context& ctx, const Order& order);
