#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/field_checks.h"
#include "core/status.h"
#include "wire/json.h"

namespace paysandbox {

// Largest integer a JSON number can carry without losing precision in the
// clients merchants use (JavaScript, Python floats): 2^53.
constexpr std::int64_t kMaxSafeInteger = 9007199254740992LL;

// Parses a request body as one JSON object. Bodies nested deeper than
// `max_depth` are refused before parsing. A 400 naming what was expected
// when it is not one.
Result<json> parse_json_body(const std::string& body, int max_depth = 64);

// Reads the fields of one JSON object, naming each by its dotted path in
// errors. Every read marks the key as known; finish() rejects whatever is left
// (unknown fields are a 400 with param at their own path).
//
// Errors are values held by the reader: the first failed read (or reject())
// is kept, shared with the readers of nested objects it handed out, and every
// later read and check is a no-op returning an empty value. So a parser reads
// field after field in the body's order and asks once, at finish() (or at
// status() before acting on what it read), for the first error: the same one
// a reader that stopped at the first failure would have reported.
class BodyReader {
 public:
  // `value` must be an object; `path` is its dotted path ("" at the top).
  BodyReader(const json& value, std::string path);
  // Reads a parsed request body, or holds the error of its parsing.
  explicit BodyReader(const Result<json>& body);

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
  // A reader of `value`, found inside this one at `path` (an array's item):
  // it shares this reader's errors.
  BodyReader nested(const json& value, std::string path) const;
  // Raw access (marks the key known); nullptr when absent (or after an error).
  const json* raw(const std::string& key);

  // The first error held, if any.
  Status status() const;
  bool ok() const { return !error_->has_value(); }
  // Holds `error` unless an earlier one is held: for checks beyond a
  // field's own type and range, in the order they are made.
  void reject(Error error);
  // Holds a 400 for `param` (a full dotted path) unless an error is held.
  void reject(const std::string& param, const std::string& message);
  // Holds an error for the first key that was never read (unless one is
  // held already) and returns the first error held.
  Status finish();
  // Holds finish()'s error for the first key not in `keys`, before any is
  // read: for a body whose unknown field would otherwise be reported as a
  // missing documented one (a platform-shaped payment_method sent where the
  // browser's is taken).
  void only(const std::vector<std::string>& keys);

 private:
  BodyReader(const json& value, std::string path, std::shared_ptr<std::optional<Error>> error);
  const json* lookup(const std::string& key);
  void fail(const std::string& key, const std::string& message);
  void reject_unknown(const std::string& key);

  const json& value_;
  std::string path_;
  std::unordered_set<std::string> known_;
  std::shared_ptr<std::optional<Error>> error_;  // shared with nested readers
};

// The string at `key`, required, of `digits`; and the same, optional. Each is
// refused as required_digits_error and optional_digits_error word it
// (core/field_checks.h).
std::string required_digits(BodyReader& reader, const std::string& key, DigitCount digits);
std::optional<std::string> optional_digits(BodyReader& reader, const std::string& key,
                                           DigitCount digits);
// The optional email address at `key` (a customer's email, a session's
// customer_email): at most 254 characters, with a local part and a domain
// around one '@'.
std::optional<std::string> optional_email(BodyReader& reader, const std::string& key);

}  // namespace paysandbox
