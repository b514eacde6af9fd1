#include "store/list_sql.h"

namespace paysandbox {

std::string list_sql_tail(const ListQuery& query) {
  std::string sql;
  for (const auto& term : query.filters) sql += " AND " + term.field + " = ?";
  sql += query.descending ? " ORDER BY seq DESC" : " ORDER BY seq ASC";
  sql += " LIMIT ? OFFSET ?";
  return sql;
}

void bind_list_tail(SQLite::Statement& s, int index, const ListQuery& query) {
  for (const auto& term : query.filters) s.bind(index++, term.value);
  s.bind(index++, static_cast<std::int64_t>(query.top));
  s.bind(index++, static_cast<std::int64_t>(query.skip));
}

}  // namespace paysandbox
