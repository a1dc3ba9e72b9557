#include "order.hpp"

Quote quote(fdk::Context&, const Order& order) {
  if (order.lines.empty()) throw fdk::HttpError(422, "An order needs at least one line.");
  Quote result{order.customer, 0, 0};
  for (const OrderLine& line : order.lines) {
    if (line.quantity <= 0) {
      throw fdk::HttpError(422, "The quantity of '" + line.item + "' must be at least 1.");
    }
    result.items += line.quantity;
    result.total += line.quantity * line.unit_price;
  }
  return result;
}
