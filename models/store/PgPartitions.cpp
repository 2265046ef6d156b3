#include "store/PgPartitions.h"

#include "store/CaseLocation.h"
#include "store/PgDb.h"

#include <limits>
#include <vector>

namespace tt::store {

namespace {

// Month partitions only for 1900-01-01 .. 2200-01-01 (UTC microseconds): a clock that says 1601 or
// 30828 (unset FILETIMEs, garbage) must not make thousands of empty partitions; such events stay
// in the default partition, where every query still finds them.
constexpr int64_t kFirstMonthUs = -2208988800LL * 1000000;
constexpr int64_t kLastMonthEndUs = 7258118400LL * 1000000;

// The function is created in the case's schema (validated name: [a-z][a-z0-9_]*, no quoting
// issue) as the schema's owner. Every name it builds comes from integers or the catalogue.
std::string ensureFunctionSql(const std::string &schema)
{
    return "CREATE OR REPLACE FUNCTION \"" + schema
        + "\".tt_ensure_event_partitions(lo bigint, hi bigint) RETURNS integer LANGUAGE plpgsql "
          "SECURITY DEFINER SET search_path = \""
        + schema + R"SQL(", pg_catalog AS $f$
DECLARE
  m timestamp;
  stop timestamp;
  a bigint;
  b bigint;
  part text;
  made integer := 0;
BEGIN
  IF lo IS NULL OR hi IS NULL THEN
    RETURN 0;
  END IF;
  lo := greatest(lo, )SQL"
        + std::to_string(kFirstMonthUs) + ");\n  hi := least(hi, " + std::to_string(kLastMonthEndUs - 1) + R"SQL();
  IF hi < lo THEN
    RETURN 0;
  END IF;
  -- Two imports asking for the same month: the second waits here, then finds it made.
  PERFORM pg_advisory_xact_lock(hashtext('transfertrace partitions ' || current_schema()));
  m := date_trunc('month', to_timestamp(floor(lo / 1000000.0)) AT TIME ZONE 'UTC');
  stop := to_timestamp(floor(hi / 1000000.0)) AT TIME ZONE 'UTC';
  WHILE m <= stop LOOP
    a := extract(epoch FROM m)::bigint * 1000000;
    b := extract(epoch FROM m + interval '1 month')::bigint * 1000000;
    part := 'events_' || to_char(m, 'YYYY_MM');
    IF to_regclass(quote_ident(part)) IS NULL THEN
      EXECUTE format('CREATE TABLE %I (LIKE events INCLUDING DEFAULTS)', part);
      -- Rows of that month that reached the default partition (written without asking first).
      EXECUTE format('WITH moved AS (DELETE FROM events_undated WHERE ts >= %s AND ts < %s RETURNING *) '
                     'INSERT INTO %I SELECT * FROM moved', a, b, part);
      EXECUTE format('ALTER TABLE events ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)', part, a, b);
      made := made + 1;
    END IF;
    m := m + interval '1 month';
  END LOOP;
  RETURN made;
END $f$)SQL";
}

int64_t floorDiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        --q;
    return q;
}

// Howard Hinnant's civil calendar algorithms (proleptic Gregorian).
void civilFromDays(int64_t z, int64_t *y, unsigned *m)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2 ? 1 : 0);
}

int64_t daysFromCivil(int64_t y, unsigned m)
{
    y -= m <= 2 ? 1 : 0;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5; // day 1 of the month
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

int64_t saturatedUs(int64_t days)
{
    constexpr int64_t kUsPerDay = 86400LL * 1000000;
    if (days > std::numeric_limits<int64_t>::max() / kUsPerDay)
        return std::numeric_limits<int64_t>::max();
    if (days < std::numeric_limits<int64_t>::min() / kUsPerDay)
        return std::numeric_limits<int64_t>::min();
    return days * kUsPerDay;
}

} // namespace

void utcMonthBounds(int64_t ts, int64_t *start, int64_t *end)
{
    const int64_t days = floorDiv(ts, 86400LL * 1000000);
    int64_t y = 0;
    unsigned m = 0;
    civilFromDays(days, &y, &m);
    *start = saturatedUs(daysFromCivil(y, m));
    *end = m == 12 ? saturatedUs(daysFromCivil(y + 1, 1)) : saturatedUs(daysFromCivil(y, m + 1));
}

bool pgEventsPartitioned(sql::PgDb &db)
{
    return db.queryInt("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE n.nspname = current_schema() AND c.relname = 'events' AND c.relkind = 'p'")
        > 0;
}

bool partitionPgEvents(sql::PgDb &db, const CaseLocation &location)
{
    if (pgEventsPartitioned(db))
        return false;
    // The secondary indexes of the plain table (not its primary key), made again on the new one.
    std::vector<std::string> indexes;
    {
        auto st = db.prepare("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = "
                             "'events' AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = "
                             "to_regclass('events')) ORDER BY indexname");
        while (st.step())
            indexes.push_back(st.text(0));
    }
    db.exec("ALTER TABLE events RENAME TO events_plain");
    db.exec("CREATE TABLE events (LIKE events_plain INCLUDING DEFAULTS INCLUDING IDENTITY) PARTITION BY RANGE (ts)");
    db.exec("CREATE TABLE events_undated PARTITION OF events DEFAULT");
    db.exec(ensureFunctionSql(location.schemaName()));
    // DDL as the case's owner: only roles that may write events may run it (PgRoles grants it to
    // analysts; here to whoever may insert into the old table).
    db.exec("REVOKE ALL ON FUNCTION tt_ensure_event_partitions(bigint, bigint) FROM PUBLIC");
    db.exec("SELECT tt_ensure_event_partitions(min(ts), max(ts)) FROM events_plain");
    db.exec("INSERT INTO events SELECT * FROM events_plain");
    // Grants on the table and its id sequence (viewers, analysts: transfertrace server grant).
    db.exec(R"SQL(DO $$DECLARE r record; BEGIN
FOR r IN SELECT a.privilege_type AS p, a.grantee AS g FROM pg_class c, aclexplode(c.relacl) a
         WHERE c.oid = 'events_plain'::regclass AND a.grantee <> c.relowner LOOP
  EXECUTE format('GRANT %s ON events TO %s', r.p, CASE WHEN r.g = 0 THEN 'PUBLIC' ELSE r.g::regrole::text END);
  IF r.p = 'INSERT' AND r.g <> 0 THEN
    EXECUTE format('GRANT EXECUTE ON FUNCTION tt_ensure_event_partitions(bigint, bigint) TO %s', r.g::regrole::text);
  END IF;
END LOOP;
FOR r IN SELECT a.privilege_type AS p, a.grantee AS g FROM pg_class c, aclexplode(c.relacl) a
         WHERE c.oid = pg_get_serial_sequence('events_plain', 'id')::regclass AND a.grantee <> c.relowner LOOP
  EXECUTE format('GRANT %s ON SEQUENCE %s TO %s', r.p, pg_get_serial_sequence('events', 'id'),
                 CASE WHEN r.g = 0 THEN 'PUBLIC' ELSE r.g::regrole::text END);
END LOOP;
END$$)SQL");
    db.exec("DROP TABLE events_plain");
    // The new identity sequence took a free name (events_id_seq1): give it the usual one back,
    // and number on after the largest id.
    db.exec(R"SQL(DO $$DECLARE s text := pg_get_serial_sequence('events', 'id'); BEGIN
IF s NOT LIKE '%.events_id_seq' THEN
  EXECUTE format('ALTER SEQUENCE %s RENAME TO events_id_seq', s);
END IF;
PERFORM setval(pg_get_serial_sequence('events', 'id'), coalesce((SELECT max(id) FROM events), 0) + 1, false);
END$$)SQL");
    // A key of a partitioned table holds the partition key; id stays unique by its sequence.
    db.exec("ALTER TABLE events ADD CONSTRAINT events_id_ts UNIQUE (id, ts)");
    for (const std::string &def : indexes)
        db.exec(def); // from the catalogue: "CREATE INDEX name ON schema.events USING ..."
    db.exec("CREATE INDEX events_ts_brin ON events USING brin (ts)");
    return true;
}

int ensurePgEventPartitions(sql::PgDb &db, int64_t loTs, int64_t hiTs)
{
    if (!pgEventsPartitioned(db))
        return 0;
    auto st = db.prepare("SELECT tt_ensure_event_partitions(?, ?)");
    st.bind(1, loTs).bind(2, hiTs);
    return st.step() ? static_cast<int>(st.int64(0)) : 0;
}

} // namespace tt::store
