#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tt::store {

// Where a case lives: a case file (`.ttcase` path) or a case inside a PostgreSQL database,
//   postgresql://[user[:password]@][host][:port]/database?case=NAME[&any libpq parameter]
// (also postgres://). `case` names the case; every other parameter goes to libpq unchanged
// (host=/socket/dir, sslmode, passfile, service ...). Percent-escapes are decoded.
// A password (in the user part, or as password= / sslpassword=) never leaves this class except
// through libpqParams(): every message, log line and title uses redacted().
class CaseLocation {
public:
    enum class Kind { File, Postgres };

    // Throws std::invalid_argument with a message naming the problem and the redacted location.
    static CaseLocation parse(std::string_view text);
    static bool looksLikeUrl(std::string_view text); // starts with postgresql:// or postgres://

    Kind kind() const { return m_kind; }
    bool isFile() const { return m_kind == Kind::File; }
    const std::string &path() const { return m_path; } // File only

    // Postgres only. Empty when the URL leaves it to libpq's defaults (PGHOST, PGUSER, ...).
    const std::string &user() const { return m_user; }
    const std::string &host() const { return m_host; }
    const std::string &port() const { return m_port; }
    const std::string &database() const { return m_database; }
    const std::string &caseName() const { return m_case; }
    bool hasPassword() const;
    // The schema holding the case's tables: "tt_" + the case name (see isValidCaseName), so a case
    // can never be named like PostgreSQL's own schemas (pg_*, public, information_schema).
    std::string schemaName() const { return schemaNameFor(m_case); }

    // libpq keyword / value pairs for PQconnectdbParams (password included; never print them).
    std::vector<std::pair<std::string, std::string>> libpqParams() const;

    // The location for people: the file path, or the URL without any password.
    std::string redacted() const;
    // Best effort for a text that may not parse: drops the password of a user part and the values
    // of password= / sslpassword=. Used by the error messages of parse().
    static std::string redactText(std::string_view text);

    // A case name: 1 to 48 characters of [a-z0-9_], starting with a letter. Lower case only so
    // the schema name needs no quoting and two names never fold to one schema.
    static bool isValidCaseName(std::string_view name);
    static std::string schemaNameFor(std::string_view caseName) { return "tt_" + std::string(caseName); }

private:
    Kind m_kind = Kind::File;
    std::string m_path;
    std::string m_user;
    std::string m_password;
    std::string m_host;
    std::string m_port;
    std::string m_database;
    std::string m_case;
    std::vector<std::pair<std::string, std::string>> m_params; // the query string minus case=, in order
};

} // namespace tt::store
