#include "HostileCase.h"

#include "CaseBuilder.h"
#include "store/CaseStore.h"
#include "store/Sqlite.h"

QStringList hostileStrings()
{
    return {QStringLiteral("<script>alert(1)</script>.exe"), QStringLiteral("q\"uo'te.exe"),
        QStringLiteral("{brace}.exe"), QStringLiteral("a -> b.exe"), QStringLiteral("]bracket[.exe"),
        QStringLiteral("line1\nline2.exe"), QStringLiteral("=cmd|' /C calc'!A0.exe"),
        QStringLiteral("back\\slash\\N&amp;.exe"), QString(100000, QLatin1Char('A')) + QStringLiteral(".exe")};
}

HostileCase buildHostileCase(const QString &dir, QString *error)
{
    HostileCase hc;
    const QString c = buildGeneratedCase(dir, 10, 6000, 5, error);
    if (c.isEmpty())
        return hc;
    try {
        auto cs = tt::store::CaseStore::open(c.toStdString(), tt::store::CaseStore::Access::ReadWrite);
        auto &db = cs->db();
        const QStringList hostile = hostileStrings();
        std::vector<int64_t> ids;
        auto st = db.prepare("SELECT id FROM transfers ORDER BY id");
        while (st.step())
            ids.push_back(st.int64(0));
        if (ids.size() < size_t(hostile.size())) {
            *error = QStringLiteral("generated case has too few transfers (%1)").arg(ids.size());
            return hc;
        }
        auto up = db.prepare("UPDATE transfers SET file_name = ?, dst_path = ? WHERE id = ?");
        for (size_t i = 0; i < ids.size(); ++i) {
            QString name;
            if (i < size_t(hostile.size()))
                name = hostile[qsizetype(i)];
            if (i == 4) // and a terminal escape, which XML cannot carry raw
                name = QStringLiteral("]bracket[\x1b[31mred.exe");
            if (name.isEmpty()) {
                auto q = db.prepare("SELECT file_name FROM transfers WHERE id = ?");
                q.bind(1, ids[i]);
                q.step();
                hc.fileNames << QString::fromStdString(q.text(0));
                continue;
            }
            up.bind(1, name.toStdString());
            up.bind(2, QString(QStringLiteral("C:\\Windows\\Temp\\") + name).toStdString());
            up.bind(3, ids[i]);
            up.exec();
            hc.fileNames << name;
        }
        // A host in the graph with a name built to break out of DOT, HTML and SVG.
        hc.hostName = QStringLiteral("EVIL\"];injected->pwned[color=red];{<script>alert(1)</script>\n]--");
        auto h = db.prepare("UPDATE hosts SET name = ? WHERE id = (SELECT dst_host_id FROM transfers WHERE id = ?)");
        h.bind(1, hc.hostName.toStdString());
        h.bind(2, ids[0]);
        h.exec();
        // A process command line in a chain.
        hc.commandLine = QStringLiteral("cmd.exe /c \"<script>alert(1)</script>\" & echo ]]> -> {x}");
        auto p = db.prepare("UPDATE processes SET command_line = ? WHERE id IN (SELECT src_process_id FROM transfers "
                            "UNION SELECT dst_process_id FROM transfers)");
        p.bind(1, hc.commandLine.toStdString());
        p.exec();
        // An annotation on a transfer.
        hc.note = QStringLiteral("<img src=x onerror=alert(1)> \"note\" & ]]>");
        auto a = db.prepare("INSERT INTO annotations(target_kind, target_key, label, note, bookmarked, created_utc, "
                            "modified_utc) SELECT 'transfer', key, file_name, ?, 1, 1, 1 FROM transfers WHERE id = ?");
        a.bind(1, hc.note.toStdString());
        a.bind(2, ids[1]);
        a.exec();
        db.exec("INSERT INTO annotation_tags(annotation_id, tag_id) SELECT max(a.id), t.id FROM annotations a, tags t "
                "WHERE t.name = 'malicious'");
    } catch (const std::exception &e) {
        *error = QString::fromUtf8(e.what());
        return hc;
    }
    hc.path = c;
    return hc;
}
