#include "fdk/response.hpp"

namespace fdk {

Response Response::text(std::string body, int status) {
  Response r;
  r.status_ = status;
  r.body_ = std::move(body);
  r.content_type_ = "text/plain; charset=utf-8";
  return r;
}

Response Response::empty(int status) {
  Response r;
  r.status_ = status;
  return r;
}

Response& Response::set_status(int status) & {
  status_ = status;
  return *this;
}
Response&& Response::set_status(int status) && { return std::move(set_status(status)); }

Response& Response::set_body(std::string body) & {
  body_ = std::move(body);
  return *this;
}
Response&& Response::set_body(std::string body) && { return std::move(set_body(std::move(body))); }

Response& Response::set_content_type(std::string content_type) & {
  content_type_ = std::move(content_type);
  return *this;
}
Response&& Response::set_content_type(std::string content_type) && {
  return std::move(set_content_type(std::move(content_type)));
}

Response& Response::add_header(std::string name, std::string value) & {
  headers_.add(std::move(name), std::move(value));
  return *this;
}
Response&& Response::add_header(std::string name, std::string value) && {
  return std::move(add_header(std::move(name), std::move(value)));
}

Response& Response::set_header(std::string name, std::string value) & {
  headers_.set(std::move(name), std::move(value));
  return *this;
}
Response&& Response::set_header(std::string name, std::string value) && {
  return std::move(set_header(std::move(name), std::move(value)));
}

}  // namespace fdk
