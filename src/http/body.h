#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>

#include "wire/json.h"

namespace paysandbox {

// Largest integer a JSON number can carry without losing precision in the
// clients merchants use (JavaScript, Python floats): 2^53.
constexpr std::int64_t kMaxSafeInteger = 9007199254740992LL;

// Parses a request body as one JSON object. Bodies nested deeper than
// `max_depth` are refused before parsing. Throws ApiError (400) naming what
// was expected.
json parse_json_body(const std::string& body, int max_depth = 64);

// Reads the fields of one JSON object, naming each by its dotted path in
// errors. Every read marks the key as known; finish() rejects whatever is left
// (unknown fields are a 400 with param at their own path). Errors are thrown
// as ApiError.
class BodyReader {
 public:
  // `value` must be an object; `path` is its dotted path ("" at the top).
  BodyReader(const json& value, std::string path);

  std::string path_of(const std::string& key) const;
  bool has(const std::string& key) const;  // present and not null

  std::string required_string(const std::string& key, size_t min_length = 1,
                              size_t max_length = 255);
  std::optional<std::string> optional_string(const std::string& key, size_t max_length = 255);
  std::int64_t required_integer(const std::string& key, std::int64_t min, std::int64_t max);
  std::optional<std::int64_t> optional_integer(const std::string& key, std::int64_t min,
                                               std::int64_t max);
  std::optional<bool> optional_bool(const std::string& key);
  // A number of dollars with at most two decimals, returned in cents.
  std::optional<std::int64_t> optional_dollars(const std::string& key, std::int64_t max_cents);
  // Must be one of `allowed`.
  std::string required_enum(const std::string& key, const std::vector<std::string>& allowed);
  BodyReader required_object(const std::string& key);
  std::optional<BodyReader> optional_object(const std::string& key);
  const json& required_array(const std::string& key, size_t max_items);
  // Raw access (marks the key known); nullptr when absent.
  const json* raw(const std::string& key);

  // Throws for the first key that was never read.
  void finish() const;

 private:
  const json* lookup(const std::string& key);
  [[noreturn]] void fail(const std::string& key, const std::string& message) const;

  const json& value_;
  std::string path_;
  std::unordered_set<std::string> known_;
};

// Checks `value` is a string of digits of length in [min, max].
void require_digits(const std::string& param, const std::string& value, size_t min, size_t max);

}  // namespace paysandbox
