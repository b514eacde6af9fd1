#include "core/field_checks.h"

namespace paysandbox {

std::string quoted_names(const std::vector<std::string>& names) {
  std::string list;
  for (const auto& name : names) list += (list.empty() ? "'" : ", '") + name + "'";
  return list;
}

Error not_one_of(std::string field, const std::vector<std::string>& names,
                 const std::string& value) {
  return invalid_field(std::move(field),
                       {"'", "' must be one of " + quoted_names(names) + "; got '" + value + "'."});
}

}  // namespace paysandbox
