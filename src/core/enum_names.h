#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace paysandbox {

// The two lookups of a state enum's one string table: {value, spelling} rows.
template <typename Enum>
using EnumName = std::pair<Enum, const char*>;

// The spelling of `value`; the first row's for a value the table lacks.
template <typename Enum, std::size_t N>
const char* name_in(const EnumName<Enum> (&table)[N], Enum value) {
  for (const auto& [entry, name] : table)
    if (entry == value) return name;
  return table[0].second;
}

template <typename Enum, std::size_t N>
std::optional<Enum> value_in(const EnumName<Enum> (&table)[N], std::string_view name) {
  for (const auto& [entry, spelled] : table)
    if (name == spelled) return entry;
  return std::nullopt;
}

}  // namespace paysandbox
