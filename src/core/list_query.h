#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace paysandbox {

// A parsed OData-style list request: `$filter` equality terms joined by
// `and`, `$orderby created_at [asc|desc]`, `$top`, `$skip`.
struct ListQuery {
  struct Term {
    std::string field;
    std::string value;
  };
  std::vector<Term> filters;
  bool descending = false;
  std::int64_t top = 100;
  std::int64_t skip = 0;
};

constexpr std::int64_t kDefaultTop = 100;
constexpr std::int64_t kMaxTop = 1000;

// Parses a `$filter` expression such as `reference_id eq 'a' and email eq
// 'b'`; quotes inside a string are doubled (`'O''Brien'`). `filterable` lists
// the fields this resource filters by; any other field is an error with param
// "$filter".
Result<std::vector<ListQuery::Term>> parse_odata_filter(std::string_view text,
                                                        const std::vector<std::string>& filterable);

// Builds a ListQuery from the request's query parameters. Parameters without a
// leading '$' are ignored; an unknown '$' option, a bad number, `$top` above
// 1000 or an unsupported `$orderby` is a validation error naming the option.
Result<ListQuery> parse_list_query(const std::vector<std::pair<std::string, std::string>>& params,
                                   const std::vector<std::string>& filterable);

}  // namespace paysandbox
