#pragma once

#include <QByteArray>
#include <QSet>
#include <QString>
#include <QStringList>

#include <cstdint>

namespace tt {

// The one investigation filter (STYLE.md): a value type that every view applies. Empty
// members mean "no restriction". Held by FilterHistory, never by a global.
struct FilterState {
    int64_t fromUs = 0; // UTC microseconds, 0 = open
    int64_t toUs = 0;
    QSet<qint64> hosts; // transfers touching any of these hosts
    QSet<qint64> accounts; // transfers done as any of these accounts
    QStringList parentImages; // parent image of the source or the executing process (case-insensitive)
    QStringList methods; // smb-admin-share, psexec-service-binary, ...
    double minConfidence = 0; // 0..1
    QString text; // free text: file name, path, host or account name

    bool hasTimeWindow() const { return fromUs != 0 || toUs != 0; }
    bool isEmpty() const;
    bool operator==(const FilterState &o) const;
    bool operator!=(const FilterState &o) const { return !(*this == o); }

    // Saved views keep the filter as JSON: {"from":..,"to":..,"hosts":[ids],"accounts":[ids],
    // "parentImages":[..],"methods":[..],"minConfidence":..,"text":".."}. fromJson ignores
    // unknown keys and wrong types (a hand-edited or newer file) and returns false on bad JSON.
    QByteArray toJson() const;
    static bool fromJson(const QByteArray &json, FilterState *out);
};

} // namespace tt
