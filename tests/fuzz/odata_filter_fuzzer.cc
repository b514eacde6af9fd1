// The OData list options: the input is one `$filter` expression, parsed both
// directly and as part of a full query (with $top/$skip/$orderby from the
// remaining bytes after a NUL).
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/list_query.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const std::vector<std::string> filterable = {"reference_id", "email", "name"};
  auto terms = paysandbox::parse_odata_filter(input, filterable);
  if (terms) {
    for (const auto& term : *terms) {
      // Every term names a field it was told it may filter by.
      bool known = false;
      for (const auto& field : filterable) known = known || field == term.field;
      if (!known) __builtin_trap();
    }
  }
  auto split = input.find('\0');
  std::vector<std::pair<std::string, std::string>> params = {{"$filter", input.substr(0, split)}};
  if (split != std::string::npos) {
    std::string rest = input.substr(split + 1);
    params.emplace_back("$top", rest.substr(0, rest.size() / 3));
    params.emplace_back("$skip", rest.substr(rest.size() / 3, rest.size() / 3));
    params.emplace_back("$orderby", rest.substr(2 * (rest.size() / 3)));
  }
  auto query = paysandbox::parse_list_query(params, filterable);
  if (query && (query->top < 0 || query->top > paysandbox::kMaxTop || query->skip < 0))
    __builtin_trap();
  return 0;
}
