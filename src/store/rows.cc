#include "store/rows.h"

#include <sqlite3.h>

#include "store/failure.h"

namespace paysandbox {

std::optional<std::string> nullable_text(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getString();
}

EventType stored_event_type(const SQLite::Column& column) {
  const std::string name = column.getString();
  if (auto type = event_type_from_name(name)) return *type;
  throw StoreFailure(storage_error(SQLITE_CORRUPT, "unknown event type '" + name + "'", ""));
}

void bind_nullable(SQLite::Statement& s, int index, const std::optional<std::string>& value) {
  if (value)
    s.bind(index, *value);
  else
    s.bind(index);
}

void bind_nullable(SQLite::Statement& s, int index, const std::optional<std::int64_t>& value) {
  if (value)
    s.bind(index, static_cast<std::int64_t>(*value));
  else
    s.bind(index);
}

void bind_nullable(SQLite::Statement& s, int index, const std::optional<int>& value) {
  if (value)
    s.bind(index, *value);
  else
    s.bind(index);
}

void read_instrument(SQLite::Statement& s, int first, CardDetails& card, AchDetails& ach,
                     Outcome& outcome) {
  card.last4 = s.getColumn(first).getString();
  card.card_brand = s.getColumn(first + 1).getString();
  card.exp_month = s.getColumn(first + 2).getInt();
  card.exp_year = s.getColumn(first + 3).getInt();
  card.holder_name = ach.holder_name = s.getColumn(first + 4).getString();
  ach.routing_number = s.getColumn(first + 5).getString();
  ach.account_number_suffix = s.getColumn(first + 6).getString();
  ach.account_type = s.getColumn(first + 7).getString();
  ach.bank_name = s.getColumn(first + 8).getString();
  outcome = outcome_from_name(s.getColumn(first + 9).getString()).value_or(Outcome::kApproved);
}

void bind_instrument(SQLite::Statement& s, int first, MethodKind kind, const CardDetails& card,
                     const AchDetails& ach, Outcome outcome) {
  s.bind(first, card.last4);
  s.bind(first + 1, card.card_brand);
  s.bind(first + 2, card.exp_month);
  s.bind(first + 3, card.exp_year);
  s.bind(first + 4, kind == MethodKind::kAch ? ach.holder_name : card.holder_name);
  s.bind(first + 5, ach.routing_number);
  s.bind(first + 6, ach.account_number_suffix);
  s.bind(first + 7, ach.account_type);
  s.bind(first + 8, ach.bank_name);
  s.bind(first + 9, outcome_name(outcome));
}

namespace {

std::vector<std::string> column_names(const std::string& columns) {
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start <= columns.size()) {
    std::size_t end = columns.find(',', start);
    if (end == std::string::npos) end = columns.size();
    std::size_t first = columns.find_first_not_of(' ', start);
    std::size_t last = columns.find_last_not_of(' ', end - 1);
    if (first != std::string::npos && first < end)
      names.push_back(columns.substr(first, last - first + 1));
    start = end + 1;
  }
  return names;
}

}  // namespace

std::string placeholders_for(const std::string& columns) {
  std::string out;
  for (std::size_t i = 0; i < column_names(columns).size(); ++i) out += i == 0 ? "?" : ",?";
  return out;
}

std::string assignments_for(const std::string& columns) {
  std::string out;
  int index = 1;
  for (const auto& name : column_names(columns)) {
    if (index > 1) out += ", ";
    out += name + "=?" + std::to_string(index++);
  }
  return out;
}

}  // namespace paysandbox
