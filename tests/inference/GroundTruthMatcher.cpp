#include "GroundTruthMatcher.h"

#include "TestSupport.h"

#include "store/HostName.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QTimeZone>

#include <cstdlib>

using tt::inference::TransferRow;

QJsonArray GroundTruthMatcher::corpusTruth()
{
    QFile f(tt::test::corpusDir() + QStringLiteral("/ground_truth.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).array();
}

Label GroundTruthMatcher::label(const QJsonObject &o)
{
    Label l;
    l.src = o.value(QStringLiteral("src")).toString();
    l.srcIp = o.value(QStringLiteral("src_ip")).toString();
    l.dst = o.value(QStringLiteral("dst")).toString();
    l.dstIp = o.value(QStringLiteral("dst_ip")).toString();
    l.file = o.value(QStringLiteral("file")).toString();
    l.account = o.value(QStringLiteral("account")).toString();
    l.method = o.value(QStringLiteral("method")).toString();
    l.confidence = o.value(QStringLiteral("confidence")).toString();
    l.category = o.value(QStringLiteral("label")).toString();
    QDateTime t = QDateTime::fromString(o.value(QStringLiteral("utc")).toString(), Qt::ISODate);
    t.setTimeZone(QTimeZone::utc());
    l.utcMs = t.toMSecsSinceEpoch();
    return l;
}

QString GroundTruthMatcher::hostKey(const QString &name)
{
    const tt::store::HostName hn = tt::store::normaliseHostName(name.toStdString());
    return hn.valid ? QString::fromStdString(hn.key) : name.toUpper();
}

bool GroundTruthMatcher::sameAccount(const QString &label, const std::string &found)
{
    if (label.isEmpty())
        return true;
    return label.compare(QString::fromStdString(found), Qt::CaseInsensitive) == 0;
}

bool GroundTruthMatcher::pairs(const Label &l, const TransferRow &r, qint64 toleranceMs)
{
    // A label naming the destination only by its address (a pull to the attacker's machine)
    // pairs with the IP-only host of that address.
    if (l.dst.isEmpty() ? l.dstIp.isEmpty() || l.dstIp != QString::fromStdString(r.destination)
                        : hostKey(l.dst) != QString::fromStdString(r.destination))
        return false;
    if (l.file.compare(QString::fromStdString(r.file), Qt::CaseInsensitive) != 0)
        return false;
    if (!l.src.isEmpty() || !l.srcIp.isEmpty()) {
        const bool byName = !l.src.isEmpty() && hostKey(l.src) == QString::fromStdString(r.source);
        const bool byIp = !l.srcIp.isEmpty() && l.srcIp == QString::fromStdString(r.sourceIp);
        if (!byName && !byIp)
            return false;
    }
    const qint64 first = r.firstTs / 1000, last = r.lastTs / 1000;
    const qint64 d = l.utcMs < first ? first - l.utcMs : l.utcMs > last + 999 ? l.utcMs - last - 999 : 0;
    return d <= toleranceMs;
}

GroundTruthMatcher::Outcome GroundTruthMatcher::match(
    const std::vector<Label> &labels, const std::vector<TransferRow> &rows, qint64 toleranceMs)
{
    Outcome o;
    o.rowOfLabel.assign(labels.size(), -1);
    o.labelOfRow.assign(rows.size(), -1);
    // Greedy by time distance: the closest pairs first, each side used once.
    struct Pair {
        qint64 d;
        int l, r;
    };
    std::vector<Pair> cand;
    for (size_t i = 0; i < labels.size(); ++i)
        for (size_t j = 0; j < rows.size(); ++j)
            if (pairs(labels[i], rows[j], toleranceMs))
                cand.push_back({std::llabs(labels[i].utcMs - rows[j].firstTs / 1000), int(i), int(j)});
    std::sort(cand.begin(), cand.end(),
        [](const Pair &a, const Pair &b) { return a.d != b.d ? a.d < b.d : (a.l != b.l ? a.l < b.l : a.r < b.r); });
    for (const Pair &p : cand)
        if (o.rowOfLabel[size_t(p.l)] < 0 && o.labelOfRow[size_t(p.r)] < 0) {
            o.rowOfLabel[size_t(p.l)] = p.r;
            o.labelOfRow[size_t(p.r)] = p.l;
        }
    return o;
}

void GroundTruthMatcher::count(const std::vector<Label> &labels, const std::vector<TransferRow> &rows, const Outcome &o,
    std::map<QString, MethodStats> &stats)
{
    for (size_t i = 0; i < labels.size(); ++i) {
        const int r = o.rowOfLabel[i];
        if (r < 0) {
            ++stats[labels[i].method].fn;
        } else if (QString::fromStdString(rows[size_t(r)].method) == labels[i].method) {
            ++stats[labels[i].method].tp;
        } else {
            ++stats[labels[i].method].fn;
            ++stats[QString::fromStdString(rows[size_t(r)].method)].fp;
        }
    }
    for (size_t j = 0; j < rows.size(); ++j)
        if (o.labelOfRow[j] < 0)
            ++stats[QString::fromStdString(rows[j].method)].fp;
}

QString GroundTruthMatcher::table(const std::map<QString, MethodStats> &stats)
{
    QString out = QStringLiteral("| method | TP | FP | FN | precision | recall |\n|---|---|---|---|---|---|\n");
    MethodStats all;
    for (const auto &[m, s] : stats) {
        out += QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 |\n")
                   .arg(m)
                   .arg(s.tp)
                   .arg(s.fp)
                   .arg(s.fn)
                   .arg(s.precision(), 0, 'f', 3)
                   .arg(s.recall(), 0, 'f', 3);
        all.tp += s.tp;
        all.fp += s.fp;
        all.fn += s.fn;
    }
    out += QStringLiteral("| all | %1 | %2 | %3 | %4 | %5 |\n")
               .arg(all.tp)
               .arg(all.fp)
               .arg(all.fn)
               .arg(all.precision(), 0, 'f', 3)
               .arg(all.recall(), 0, 'f', 3);
    return out;
}
