#pragma once

#include <algorithm>
#include <cstdint>
#include <iterator>
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
// Applies `$orderby`, `$skip` and `$top` to a whole list already in created
// order, for lists read in full (one customer's saved methods). Filters are
// not applied: such a list declares no filterable fields, so a `$filter` on
// it never parses.
template <typename T>
std::vector<T> page_of(std::vector<T> items, const ListQuery& query) {
  if (query.descending) std::reverse(items.begin(), items.end());
  const auto skip = std::min<std::size_t>(static_cast<std::size_t>(query.skip), items.size());
  const auto end = std::min<std::size_t>(skip + static_cast<std::size_t>(query.top), items.size());
  return std::vector<T>(std::make_move_iterator(items.begin() + skip),
                        std::make_move_iterator(items.begin() + end));
}

Result<ListQuery> parse_list_query(const std::vector<std::pair<std::string, std::string>>& params,
                                   const std::vector<std::string>& filterable);

}  // namespace paysandbox
