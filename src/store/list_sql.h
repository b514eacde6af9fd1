#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>

#include "core/list_query.h"
#include "store/connection.h"
#include "store/rows.h"

namespace paysandbox {

// The part of a list query after its own WHERE conditions, for tables with a
// seq column: one " AND <field> = ?" per $filter term (the parser checked
// every field against the resource's filterable list, and each is a column
// of that name), then the order and the page.
std::string list_sql_tail(const ListQuery& query);
// Binds what list_sql_tail() asks for, from parameter `index` on.
void bind_list_tail(SQLite::Statement& statement, int index, const ListQuery& query);

// One page of a list: `select` is "SELECT ... FROM <table> WHERE <owner> = ?",
// `owner` its value; each row is read by `read`. The SQL is built before the
// store's lock is taken.
template <typename Read>
auto list_page(Store& store, const std::string& select, const std::string& owner,
               const ListQuery& query, Read read) {
  const std::string sql = select + list_sql_tail(query);
  return store.with([&](Connection& c) {
    auto& s = c.prepared(sql);
    s.bind(1, owner);
    bind_list_tail(s, 2, query);
    return read_rows(s, read);
  });
}

}  // namespace paysandbox
