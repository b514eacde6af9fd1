#include "core/field_checks.h"

#include <algorithm>

#include "core/rules.h"

namespace paysandbox {

Status first_error(std::initializer_list<std::optional<Error>> errors) {
  for (const auto& error : errors)
    if (error) return *error;
  return ok_status();
}

std::string quoted_names(const std::vector<std::string>& names) {
  std::string list;
  for (const auto& name : names) list += (list.empty() ? "'" : ", '") + name + "'";
  return list;
}

std::optional<Error> one_of_error(std::string field, const std::string& value,
                                  const std::vector<std::string>& names) {
  if (std::find(names.begin(), names.end(), value) != names.end()) return std::nullopt;
  return invalid_field(std::move(field),
                       {"'", "' must be one of " + quoted_names(names) + "; got '" + value + "'."});
}

std::optional<Error> length_error(std::string field, std::string_view value, std::size_t min,
                                  std::size_t max) {
  if (value.size() < min)
    return invalid_field(std::move(field),
                         {"'", "' must be at least " + std::to_string(min) + " character" +
                                   (min == 1 ? "" : "s") + " long."});
  if (value.size() > max)
    return invalid_field(std::move(field),
                         {"'", "' must be at most " + std::to_string(max) +
                                   " characters long; got " + std::to_string(value.size()) + "."});
  return std::nullopt;
}

namespace {

// Refused for its length outside [min_length, digits.max] first, then for
// anything else that is not `digits`.
std::optional<Error> digits_error(std::string field, std::string_view value, DigitCount digits,
                                  std::size_t min_length) {
  if (auto error = length_error(field, value, min_length, digits.max)) return error;
  if (all_digits(value) && value.size() >= digits.min) return std::nullopt;
  const std::string count = digits.min == digits.max
                                ? std::to_string(digits.min)
                                : std::to_string(digits.min) + " to " + std::to_string(digits.max);
  return invalid_field(std::move(field),
                       {"'", "' must be " + count + " digits; got '" + std::string(value) + "'."});
}

}  // namespace

std::optional<Error> required_digits_error(std::string field, std::string_view value,
                                           DigitCount digits) {
  return digits_error(std::move(field), value, digits, digits.min);
}

std::optional<Error> optional_digits_error(std::string field, std::string_view value,
                                           DigitCount digits) {
  return digits_error(std::move(field), value, digits, 0);
}

Error not_in_range(std::string field, IntegerRange range, const std::string& got,
                   const std::string& note) {
  return invalid_field(std::move(field),
                       {"'", "' must be an integer from " + std::to_string(range.min) + " to " +
                                 std::to_string(range.max) + note + "; got " + got + "."});
}

std::optional<Error> range_error(std::string field, std::int64_t value, IntegerRange range) {
  if (value >= range.min && value <= range.max) return std::nullopt;
  return not_in_range(std::move(field), range, std::to_string(value));
}

}  // namespace paysandbox
