#include "store/SchemaCheck.h"

#include "store/Schema.h"
#include "store/Sqlite.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace tt::store {

namespace {

using TableColumns = std::map<std::string, std::vector<std::string>>;

// The tables and columns of this build's schema, read from an in-memory database migrated by the
// same code (one source of truth: the migrations themselves).
const TableColumns &expectedTables()
{
    static const TableColumns tables = [] {
        sql::Db ref;
        ref.open(":memory:", sql::Db::Mode::Create);
        migrate(ref, "reference");
        TableColumns out;
        auto names = ref.prepare("SELECT name FROM sqlite_schema WHERE type='table' AND name NOT LIKE 'sqlite_%'");
        while (names.step())
            out[names.text(0)];
        auto cols = ref.prepare("SELECT name FROM pragma_table_info(?)");
        for (auto &[table, columns] : out) {
            cols.bind(1, std::string_view(table));
            while (cols.step())
                columns.push_back(cols.text(0));
            cols.reset();
        }
        return out;
    }();
    return tables;
}

[[noreturn]] void invalid(const std::string &why)
{
    throw std::runtime_error("not a valid TransferTrace case: " + why);
}

} // namespace

void checkTableKinds(sql::Db &db)
{
    const TableColumns &expected = expectedTables();
    auto st = db.prepare("SELECT name, type FROM sqlite_schema WHERE type <> 'table'");
    while (st.step()) {
        const std::string name = st.text(0);
        if (expected.count(name))
            invalid(name + " is a " + st.text(1) + ", not a table");
    }
}

void checkSchema(sql::Db &db)
{
    checkTableKinds(db);
    auto kind = db.prepare("SELECT 1 FROM sqlite_schema WHERE type='table' AND name=?");
    auto cols = db.prepare("SELECT name FROM pragma_table_info(?)");
    for (const auto &[table, columns] : expectedTables()) {
        kind.bind(1, std::string_view(table));
        const bool present = kind.step();
        kind.reset();
        if (!present)
            invalid("table " + table + " is missing");
        cols.bind(1, std::string_view(table));
        std::vector<std::string> have;
        while (cols.step())
            have.push_back(cols.text(0));
        cols.reset();
        for (const std::string &c : columns)
            if (std::find(have.begin(), have.end(), c) == have.end())
                invalid("table " + table + " has no column " + c);
    }
}

} // namespace tt::store
