#include "query/AnnotatedItemQuery.h"

#include "store/CaseStore.h"
#include "store/Sqlite.h"

#include <QObject>

namespace tt {

AnnotatedItem resolveAnnotatedItem(store::CaseStore &store, store::TargetKind kind, const std::string &key)
{
    sql::Db &db = store.db();
    AnnotatedItem t;
    using K = SelectedEntities::Kind;
    auto id = [&]() -> int64_t {
        try {
            return std::stoll(key);
        } catch (...) {
            return 0;
        }
    };
    switch (kind) {
    case store::TargetKind::Host: {
        auto st = db.prepare("SELECT id FROM hosts WHERE name = ?");
        st.bind(1, key);
        if (st.step()) {
            t.selection.kind = K::Host;
            t.selection.hosts = {st.int64(0)};
        }
        break;
    }
    case store::TargetKind::Transfer: {
        auto st = db.prepare("SELECT id, coalesce(src_host_id, 0), dst_host_id FROM transfers WHERE key = ? "
                             "ORDER BY id LIMIT 1");
        st.bind(1, key);
        if (st.step()) {
            t.selection.kind = K::Transfer;
            t.selection.transfers = {st.int64(0)};
        }
        break;
    }
    case store::TargetKind::Event: {
        auto st = db.prepare("SELECT id FROM events WHERE id = ?");
        st.bind(1, id());
        if (st.step()) {
            t.selection.kind = K::Event;
            t.selection.events = {st.int64(0)};
        }
        break;
    }
    case store::TargetKind::Process: {
        auto st = db.prepare("SELECT id, host_id FROM processes WHERE id = ?");
        st.bind(1, id());
        if (st.step()) {
            t.selection.kind = K::Process;
            t.selection.process = st.int64(0);
            t.selection.hosts = {st.int64(1)};
        }
        break;
    }
    case store::TargetKind::Account: {
        auto st = db.prepare("SELECT id FROM accounts WHERE id = ?");
        st.bind(1, id());
        if (st.step())
            t.account = st.int64(0);
        break;
    }
    }
    if (t.selection.kind == K::None && !t.account)
        t.error = QObject::tr("the annotated item is no longer in the case");
    return t;
}

} // namespace tt
