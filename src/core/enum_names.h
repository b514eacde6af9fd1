#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace paysandbox {

// The lookups of an enum's one string table. A table is an array of rows,
// each with at least `value` (the enumerator) and `name` (its spelling);
// tables that say more of each value (a description, an error) add members.
template <typename Enum>
struct EnumName {
  Enum value;
  const char* name;
};

// The row of `value`; the first row for a value the table lacks.
template <typename Row, std::size_t N, typename Enum>
const Row& row_in(const Row (&table)[N], Enum value) {
  for (const auto& row : table)
    if (row.value == value) return row;
  return table[0];
}

// The spelling of `value`; the first row's for a value the table lacks.
template <typename Row, std::size_t N, typename Enum>
const char* name_in(const Row (&table)[N], Enum value) {
  return row_in(table, value).name;
}

// The value spelled `name`, if a row spells it.
template <typename Row, std::size_t N>
auto value_in(const Row (&table)[N], std::string_view name) -> std::optional<decltype(Row::value)> {
  for (const auto& row : table)
    if (name == row.name) return row.value;
  return std::nullopt;
}

// Every spelling of a table, in its order (for "expected one of ...").
template <typename Row, std::size_t N>
std::vector<std::string> names_of(const Row (&table)[N]) {
  std::vector<std::string> out;
  for (const auto& row : table) out.emplace_back(row.name);
  return out;
}

}  // namespace paysandbox
