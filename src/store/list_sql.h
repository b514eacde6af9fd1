#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>

#include "core/list_query.h"

namespace paysandbox {

// The part of a list query after its own WHERE conditions, for tables with a
// seq column: one " AND <field> = ?" per $filter term (the parser checked
// every field against the resource's filterable list, and each is a column
// of that name), then the order and the page.
std::string list_sql_tail(const ListQuery& query);
// Binds what list_sql_tail() asks for, from parameter `index` on.
void bind_list_tail(SQLite::Statement& statement, int index, const ListQuery& query);

}  // namespace paysandbox
