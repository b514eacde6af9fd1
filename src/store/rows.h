#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/event_type.h"
#include "core/outcome.h"
#include "core/types.h"

namespace paysandbox {

// Reading and binding the pieces that several tables share. Column indexes
// are SQLite's: 0-based when reading, 1-based when binding.

// A nullable TEXT column.
std::optional<std::string> nullable_text(const SQLite::Column& column);
// Binds NULL for an unset value.
void bind_nullable(SQLite::Statement& statement, int index,
                   const std::optional<std::string>& value);
void bind_nullable(SQLite::Statement& statement, int index,
                   const std::optional<std::int64_t>& value);
void bind_nullable(SQLite::Statement& statement, int index, const std::optional<int>& value);

// An event_type column. The store writes only catalogue names, so another
// name means the file was changed behind its back: a storage error naming it.
EventType stored_event_type(const SQLite::Column& column);

// The card-or-bank instrument that a proxy token, a saved method and a
// payment each keep in their row: these columns, in this order. A card and a
// bank account share the one holder_name column.
constexpr const char* kInstrumentColumns =
    "last4, card_brand, exp_month, exp_year, holder_name, routing_number, "
    "account_number_suffix, account_type, bank_name, outcome";
constexpr int kInstrumentColumnCount = 10;

void read_instrument(SQLite::Statement& statement, int first_column, CardDetails& card,
                     AchDetails& ach, Outcome& outcome);
// The holder name bound is the one of `kind`'s details.
void bind_instrument(SQLite::Statement& statement, int first_index, MethodKind kind,
                     const CardDetails& card, const AchDetails& ach, Outcome outcome);

// For statements built from a column list ("a, b, c"): "?,?,?" and
// "a=?1, b=?2, c=?3" (so an UPDATE binds like the INSERT of the same list).
std::string placeholders_for(const std::string& columns);
std::string assignments_for(const std::string& columns);

// Every row the statement yields, each read by `read`.
template <typename Read>
auto read_rows(SQLite::Statement& statement, Read read) -> std::vector<decltype(read(statement))> {
  std::vector<decltype(read(statement))> out;
  while (statement.executeStep()) out.push_back(read(statement));
  return out;
}

// The first row the statement yields, if any.
template <typename Read>
auto read_first_row(SQLite::Statement& statement, Read read)
    -> std::optional<decltype(read(statement))> {
  if (!statement.executeStep()) return std::nullopt;
  return read(statement);
}

}  // namespace paysandbox
