#include "store/SearchIndex.h"

#include "store/Sqlite.h"

#include <algorithm>

namespace tt::store {

int64_t searchSecond(int64_t tsUs, bool hasTime)
{
    if (!hasTime || tsUs <= 0)
        return 0;
    return std::min(tsUs / 1000000, kSearchMaxSecond);
}

std::string ftsQueryForText(std::string_view text, std::vector<std::string> *dropped)
{
    std::string out;
    size_t i = 0;
    auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
    while (i < text.size()) {
        while (i < text.size() && isSpace(text[i]))
            ++i;
        const size_t start = i;
        while (i < text.size() && !isSpace(text[i]))
            ++i;
        const std::string_view word = text.substr(start, i - start);
        if (word.empty())
            continue;
        // Three characters, not bytes: count UTF-8 lead bytes.
        const auto chars = std::count_if(word.begin(), word.end(), [](char c) { return (c & 0xC0) != 0x80; });
        if (chars < 3) {
            if (dropped)
                dropped->emplace_back(word);
            continue;
        }
        if (!out.empty())
            out += ' ';
        out += '"';
        for (char c : word) {
            if (c == '"')
                out += '"';
            out += c;
        }
        out += '"';
    }
    return out;
}

int64_t searchIndexedThrough(sql::Db &db)
{
    auto st = db.prepare("SELECT value FROM case_info WHERE key = 'search_indexed_through'");
    return st.step() ? st.int64(0) : 0;
}

void setSearchIndexedThrough(sql::Db &db, int64_t eventId)
{
    auto st = db.prepare("INSERT INTO case_info(key, value) VALUES('search_indexed_through', ?) ON CONFLICT(key) DO "
                         "UPDATE SET value = excluded.value");
    st.bind(1, std::to_string(eventId));
    st.exec();
}

int64_t searchPendingEvents(sql::Db &db)
{
    // count(*) over the ids past the mark visits every one of them: 3-6 s at 10 M events on a
    // loaded machine, paid by the first page of every search while the index is behind. max(id)
    // is one b-tree descent, and ids are handed out in order and never removed (a rolled-back
    // import gives its ids back), so the span is the count; past kExactPending it is used as is.
    const int64_t through = searchIndexedThrough(db);
    auto last = db.prepare("SELECT coalesce(max(id), 0) FROM events");
    const int64_t span = last.step() ? last.int64(0) - through : 0;
    if (span <= 0)
        return 0;
    if (span > kExactPending)
        return span;
    auto st = db.prepare("SELECT count(*) FROM events WHERE id > ?");
    st.bind(1, through);
    return st.step() ? st.int64(0) : 0;
}

int64_t settleSearchIndex(sql::Db &db)
{
    if (!db.isPostgres())
        return 0;
    try {
        return db.queryInt("SELECT coalesce(gin_clean_pending_list(to_regclass('events_fts_text_trgm')), 0)");
    } catch (const sql::Error &) {
        return 0; // not the owner: autovacuum merges the list
    }
}

} // namespace tt::store
