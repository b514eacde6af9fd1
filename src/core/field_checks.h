#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace paysandbox {

// The wording of a refused field value, shared by the route readers
// (http/body.h) and the typed control calls, so both refuse a value alike.
// Each error names `field` (the caller's name or path for it; placed_at moves
// it) and its message mentions it as "'<field>'".

// A string of `min` to `max` digits.
struct DigitCount {
  std::size_t min = 0;
  std::size_t max = 0;
};

// An integer from `min` to `max`, both included.
struct IntegerRange {
  std::int64_t min = 0;
  std::int64_t max = 0;
};

// The first of `errors` there is: the checks of an input's fields, listed in
// the order a route reads them.
Status first_error(std::initializer_list<std::optional<Error>> errors);

// The names a field takes, as its refusals list them: 'a', 'b', 'c'.
std::string quoted_names(const std::vector<std::string>& names);

// A value that is not one of `names`: "'<field>' must be one of 'a', 'b';
// got '<value>'."
std::optional<Error> one_of_error(std::string field, const std::string& value,
                                  const std::vector<std::string>& names);

// A string shorter than `min` or longer than `max` characters:
// "'<field>' must be at least 4 characters long." or "'<field>' must be at
// most 255 characters long; got 300."
std::optional<Error> length_error(std::string field, std::string_view value, std::size_t min,
                                  std::size_t max);

// A string of `digits` refused as the route readers refuse one
// (required_digits and optional_digits in http/body.h): for its length when
// it is too long, or when a required one is too short, as length_error
// words it; else, when it is not `digits` (an optional one too short
// included), "'<field>' must be 12 to 19 digits; got '<value>'." ("must be
// 9 digits" when the two counts agree).
std::optional<Error> required_digits_error(std::string field, std::string_view value,
                                           DigitCount digits);
std::optional<Error> optional_digits_error(std::string field, std::string_view value,
                                           DigitCount digits);

// "'<field>' must be an integer from 1 to 12<note>; got <got>.": `got` is
// what was sent as the message shows it (a number, or a JSON type such as
// "a string"), `note` what else the value must be (" (a whole number)").
Error not_in_range(std::string field, IntegerRange range, const std::string& got,
                   const std::string& note = {});
// An integer outside `range`, worded as not_in_range words it.
std::optional<Error> range_error(std::string field, std::int64_t value, IntegerRange range);

}  // namespace paysandbox
