#include "http/body.h"

#include <algorithm>
#include <cmath>

#include "core/field_checks.h"
#include "http/errors.h"

namespace paysandbox {
namespace {

std::string type_name(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::string:
      return "a string";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "an integer";
    case json::value_t::number_float:
      return "a number with a fraction";
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    default:
      return "something else";
  }
}

// What a reader reads after an error, or when what it was given is no object.
const json& empty_object() {
  static const json kEmpty = json::object();
  return kEmpty;
}

}  // namespace

Result<json> parse_json_body(const std::string& body, int max_depth) {
  // Depth check without recursion, outside strings, so a hostile 10,000-level
  // body is refused cheaply and never reaches a recursive destructor.
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : body) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth)
        return validation_error("", "The request body nests deeper than " +
                                        std::to_string(max_depth) + " levels; flatten it.");
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return validation_error("", body.empty() ? "The request body is empty; expected a JSON object."
                                             : "The request body is not valid JSON (or not valid "
                                               "UTF-8); expected a JSON object.");
  }
  if (!parsed.is_object())
    return validation_error(
        "", "The request body must be a JSON object; got " + type_name(parsed) + ".");
  return parsed;
}

BodyReader::BodyReader(const json& value, std::string path)
    : BodyReader(value, std::move(path), std::make_shared<std::optional<Error>>()) {}

BodyReader::BodyReader(const Result<json>& body)
    : BodyReader(body.ok() ? *body : empty_object(), "", std::make_shared<std::optional<Error>>()) {
  if (!body.ok()) reject(body.error());
}

BodyReader::BodyReader(const json& value, std::string path,
                       std::shared_ptr<std::optional<Error>> error)
    : value_(value.is_object() ? value : empty_object()),
      path_(std::move(path)),
      error_(std::move(error)) {
  if (!value.is_object())
    reject(path_, (path_.empty() ? std::string("The body") : "'" + path_ + "'") +
                      " must be an object; got " + type_name(value) + ".");
}

std::string BodyReader::path_of(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

Status BodyReader::status() const {
  if (error_->has_value()) return **error_;
  return ok_status();
}

void BodyReader::reject(Error error) {
  if (!error_->has_value()) *error_ = std::move(error);
}

void BodyReader::reject(const std::string& param, const std::string& message) {
  reject(validation_error(param, message));
}

void BodyReader::fail(const std::string& key, const std::string& message) {
  reject(path_of(key), message);
}

// After an error every read finds nothing, so nothing more is checked.
const json* BodyReader::lookup(const std::string& key) {
  known_.insert(key);
  if (!ok()) return nullptr;
  auto it = value_.find(key);
  if (it == value_.end() || it->is_null()) return nullptr;
  return &*it;
}

BodyReader BodyReader::nested(const json& value, std::string path) const {
  return BodyReader(value, std::move(path), error_);
}

const json* BodyReader::raw(const std::string& key) { return lookup(key); }

bool BodyReader::has(const std::string& key) const {
  auto it = value_.find(key);
  return it != value_.end() && !it->is_null();
}

std::string BodyReader::required_string(const std::string& key, size_t min_length,
                                        size_t max_length) {
  if (lookup(key) == nullptr) {
    fail(key, "'" + path_of(key) + "' is required.");
    return {};
  }
  std::string s = optional_string(key, max_length).value_or("");
  if (auto error = length_error(path_of(key), s, min_length, max_length); ok() && error)
    reject(std::move(*error));
  return s;
}

std::optional<std::string> BodyReader::optional_string(const std::string& key, size_t max_length) {
  const json* v = lookup(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    fail(key, "'" + path_of(key) + "' must be a string; got " + type_name(*v) + ".");
    return std::nullopt;
  }
  const auto& s = v->get_ref<const std::string&>();
  if (auto error = length_error(path_of(key), s, 0, max_length)) {
    reject(std::move(*error));
    return std::nullopt;
  }
  return s;
}

std::int64_t BodyReader::required_integer(const std::string& key, std::int64_t min,
                                          std::int64_t max) {
  auto v = optional_integer(key, min, max);
  if (!v) fail(key, "'" + path_of(key) + "' is required.");
  return v.value_or(0);
}

std::optional<std::int64_t> BodyReader::optional_integer(const std::string& key, std::int64_t min,
                                                         std::int64_t max) {
  const json* v = lookup(key);
  if (v == nullptr) return std::nullopt;
  // What was sent, as the refusal shows it, and what else it must be.
  auto refuse = [&](const std::string& got, const std::string& note = {}) {
    reject(not_in_range(path_of(key), {min, max}, got, note));
  };
  if (v->is_number_unsigned()) {
    // JSON text parses non-negative numbers as unsigned: the lower bound
    // applies here too (exp_month 0 must fail a minimum of 1).
    auto u = v->get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(max) || (min > 0 && u < static_cast<std::uint64_t>(min))) {
      refuse(std::to_string(u));
      return std::nullopt;
    }
    return static_cast<std::int64_t>(u);
  }
  if (v->is_number_integer()) {
    auto i = v->get<std::int64_t>();
    if (i < min || i > max) {
      refuse(std::to_string(i));
      return std::nullopt;
    }
    return i;
  }
  if (v->is_number_float()) {
    // Money fields are all named *_amount; for them, say why a fraction is wrong.
    const bool money = key.find("amount") != std::string::npos;
    refuse(v->dump(), money ? " (a whole number; amounts are integer cents)" : " (a whole number)");
    return std::nullopt;
  }
  refuse(type_name(*v));
  return std::nullopt;
}

std::optional<bool> BodyReader::optional_bool(const std::string& key) {
  const json* v = lookup(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_boolean()) {
    fail(key, "'" + path_of(key) + "' must be true or false; got " + type_name(*v) + ".");
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<std::int64_t> BodyReader::optional_dollars(const std::string& key,
                                                         std::int64_t max_cents) {
  const json* v = lookup(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number()) {
    fail(key, "'" + path_of(key) + "' must be a number of dollars (e.g. 999.99); got " +
                  type_name(*v) + ".");
    return std::nullopt;
  }
  double dollars = v->get<double>();
  double cents = dollars * 100.0;
  double rounded = std::round(cents);
  if (!std::isfinite(dollars) || dollars < 0 || std::fabs(cents - rounded) > 1e-6 ||
      rounded > static_cast<double>(max_cents)) {
    fail(key, "'" + path_of(key) +
                  "' must be a non-negative dollar amount with at most two "
                  "decimals, up to " +
                  std::to_string(max_cents / 100) + "; got " + v->dump() + ".");
    return std::nullopt;
  }
  return static_cast<std::int64_t>(rounded);
}

std::string BodyReader::required_enum(const std::string& key,
                                      const std::vector<std::string>& allowed) {
  const std::string list = quoted_names(allowed);
  const json* v = lookup(key);
  if (v == nullptr) {
    fail(key, "'" + path_of(key) + "' is required; expected one of " + list + ".");
    return {};
  }
  if (!v->is_string()) {
    fail(key, "'" + path_of(key) + "' must be one of " + list + "; got " + type_name(*v) + ".");
    return {};
  }
  const auto& s = v->get_ref<const std::string&>();
  if (auto error = one_of_error(path_of(key), s, allowed)) {
    reject(std::move(*error));
    return {};
  }
  return s;
}

BodyReader BodyReader::required_object(const std::string& key) {
  const json* v = lookup(key);
  if (v == nullptr) fail(key, "'" + path_of(key) + "' is required and must be an object.");
  return BodyReader(v != nullptr ? *v : empty_object(), path_of(key), error_);
}

std::optional<BodyReader> BodyReader::optional_object(const std::string& key) {
  const json* v = lookup(key);
  if (v == nullptr) return std::nullopt;
  return BodyReader(*v, path_of(key), error_);
}

const json& BodyReader::required_array(const std::string& key, size_t max_items) {
  static const json kEmpty = json::array();
  const json* v = lookup(key);
  if (v == nullptr) {
    fail(key, "'" + path_of(key) + "' is required and must be an array.");
    return kEmpty;
  }
  if (!v->is_array()) {
    fail(key, "'" + path_of(key) + "' must be an array; got " + type_name(*v) + ".");
    return kEmpty;
  }
  if (v->size() > max_items) {
    fail(key, "'" + path_of(key) + "' holds " + std::to_string(v->size()) + " items; at most " +
                  std::to_string(max_items) + " are accepted.");
    return kEmpty;
  }
  return *v;
}

Status BodyReader::finish() {
  for (auto it = value_.begin(); ok() && it != value_.end(); ++it) {
    if (known_.count(it.key()) == 0) reject_unknown(it.key());
  }
  return status();
}

void BodyReader::only(const std::vector<std::string>& keys) {
  for (auto it = value_.begin(); ok() && it != value_.end(); ++it)
    if (std::find(keys.begin(), keys.end(), it.key()) == keys.end()) reject_unknown(it.key());
}

void BodyReader::reject_unknown(const std::string& key) {
  reject(path_of(key), "Unknown field '" + path_of(key) + "'; remove it (check its spelling).");
}

std::string required_digits(BodyReader& reader, const std::string& key, DigitCount digits) {
  std::string value = reader.required_string(key, 0, std::string::npos);
  if (auto error = required_digits_error(reader.path_of(key), value, digits); reader.ok() && error)
    reader.reject(std::move(*error));
  return value;
}

std::optional<std::string> optional_digits(BodyReader& reader, const std::string& key,
                                           DigitCount digits) {
  auto value = reader.optional_string(key, std::string::npos);
  if (!value) return value;
  if (auto error = optional_digits_error(reader.path_of(key), *value, digits); reader.ok() && error)
    reader.reject(std::move(*error));
  return value;
}

std::optional<std::string> optional_email(BodyReader& reader, const std::string& key) {
  auto email = reader.optional_string(key, 254);
  if (!email) return email;
  const size_t at = email->find('@');
  if (at == 0 || at == std::string::npos || at + 1 == email->size())
    reader.reject(reader.path_of(key),
                  "'" + reader.path_of(key) +
                      "' must be an email address like alex@example.com; got '" + *email + "'.");
  return email;
}

}  // namespace paysandbox
