// `cmake --install` into a temporary prefix puts every desktop file where a freedesktop.org desktop
// looks, each one well formed and pointing at the others: the desktop entry runs the installed
// binary with the file, names the installed icon and the installed MIME type; the MIME type claims
// *.ttcase (and only that); the metainfo names the desktop entry; the PNGs have their sizes.
#include "InstallTree.h"

#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QMimeDatabase>
#include <QSvgRenderer>
#include <QTest>
#include <QXmlStreamReader>

#include <map>

using namespace tt::test;

namespace {

// The [Desktop Entry] group as key -> value (no localised keys in ours).
std::map<QString, QString> readDesktopEntry(const QString &path, QString *error)
{
    std::map<QString, QString> keys;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) {
        *error = path + QStringLiteral(": ") + f.errorString();
        return keys;
    }
    QString group;
    int line = 0;
    while (!f.atEnd()) {
        ++line;
        const QString l = QString::fromUtf8(f.readLine()).trimmed();
        if (l.isEmpty() || l.startsWith(QLatin1Char('#')))
            continue;
        if (l.startsWith(QLatin1Char('['))) {
            group = l;
            continue;
        }
        const qsizetype eq = l.indexOf(QLatin1Char('='));
        if (eq <= 0) {
            *error = QStringLiteral("%1:%2: not a key=value line").arg(path).arg(line);
            return {};
        }
        if (group == QLatin1String("[Desktop Entry]"))
            keys[l.left(eq).trimmed()] = l.mid(eq + 1).trimmed();
    }
    return keys;
}

QString xmlError(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return path + QStringLiteral(": ") + f.errorString();
    QXmlStreamReader x(&f);
    while (!x.atEnd())
        x.readNext();
    return x.hasError() ? QStringLiteral("%1:%2: %3").arg(path).arg(x.lineNumber()).arg(x.errorString()) : QString();
}

// Every element's text by its path ("component/provides/binary"), repeated ones in order.
std::multimap<QString, QString> xmlTexts(const QString &path)
{
    std::multimap<QString, QString> out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    QXmlStreamReader x(&f);
    QStringList stack;
    while (!x.atEnd()) {
        x.readNext();
        if (x.isStartElement()) {
            stack << x.name().toString();
            const QString key = stack.join(QLatin1Char('/'));
            for (const QXmlStreamAttribute &a : x.attributes())
                out.emplace(key + QStringLiteral("@") + a.name().toString(), a.value().toString());
        } else if (x.isCharacters() && !x.isWhitespace() && !stack.isEmpty()) {
            out.emplace(stack.join(QLatin1Char('/')), x.text().toString().trimmed());
        } else if (x.isEndElement()) {
            stack.removeLast();
        }
    }
    return out;
}

QString one(const std::multimap<QString, QString> &m, const QString &key)
{
    const auto it = m.find(key);
    return it == m.end() ? QString() : it->second;
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

} // namespace

class TstInstall : public InstalledTreeTest {
    Q_OBJECT

private slots:
    void binaryRuns()
    {
        const QString exe = m_tree.prefix + QStringLiteral("/bin/transfertrace");
        QVERIFY2(QFileInfo(exe).isExecutable(), qPrintable(exe));
        QString out;
        QCOMPARE(runTool(exe, {QStringLiteral("--version")}, &out), 0);
        QCOMPARE(out.trimmed(), QStringLiteral("transfertrace " TT_VERSION));
    }

    void desktopEntry()
    {
        const QString path
            = m_tree.share(QStringLiteral("applications/") + applicationId() + QStringLiteral(".desktop"));
        QString error;
        const auto keys = readDesktopEntry(path, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const auto value = [&keys](const char *k) {
            const auto it = keys.find(QString::fromLatin1(k));
            return it == keys.end() ? QString() : it->second;
        };
        QCOMPARE(value("Type"), QStringLiteral("Application"));
        QCOMPARE(value("Name"), QStringLiteral("TransferTrace"));
        // Exec runs the installed binary with the one file a double-click hands over.
        const QStringList exec = value("Exec").split(QLatin1Char(' '), Qt::SkipEmptyParts);
        QCOMPARE(exec, QStringList({QStringLiteral("transfertrace"), QStringLiteral("%f")}));
        QVERIFY(QFileInfo(m_tree.prefix + QStringLiteral("/bin/") + exec.first()).isExecutable());
        QCOMPARE(value("Icon"), applicationId());
        QVERIFY(QFile::exists(
            m_tree.share(QStringLiteral("icons/hicolor/48x48/apps/") + applicationId() + QStringLiteral(".png"))));
        QVERIFY(value("MimeType").split(QLatin1Char(';')).contains(QStringLiteral("application/x-transfertrace-case")));
        QVERIFY(value("Categories").endsWith(QLatin1Char(';')));
        QVERIFY(!value("Categories").isEmpty());
    }

    void mimeType()
    {
        // A desktop's view: the installed prefix first, then the system's MIME database (the
        // SQLite type ours refines lives there). Set before the first QMimeDatabase use, which
        // reads the data directories once.
        qputenv("XDG_DATA_HOME", m_tree.share(QString()).toLocal8Bit());
        qputenv(
            "XDG_DATA_DIRS", (m_tree.share(QString()) + QStringLiteral(":/usr/local/share:/usr/share")).toLocal8Bit());
        const QString path = m_tree.share(QStringLiteral("mime/packages/") + applicationId() + QStringLiteral(".xml"));
        const QString err = xmlError(path);
        QVERIFY2(err.isEmpty(), qPrintable(err));
        const auto x = xmlTexts(path);
        QCOMPARE(
            one(x, QStringLiteral("mime-info/mime-type@type")), QStringLiteral("application/x-transfertrace-case"));
        QCOMPARE(one(x, QStringLiteral("mime-info/mime-type/glob@pattern")), QStringLiteral("*.ttcase"));

        // What a file manager decides, from the installed package: a case by its name, while an
        // SQLite database by another name (or none) stays a plain database: our magic ranks
        // below the generic SQLite one and only confirms.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QByteArray sqlite("SQLite format 3\0", 16);
        sqlite.append(QByteArray(84, '\0'));
        const QString casePath = dir.filePath(QStringLiteral("intrusion.ttcase"));
        const QString dbPath = dir.filePath(QStringLiteral("notes.db"));
        const QString namelessPath = dir.filePath(QStringLiteral("blob"));
        QVERIFY(writeFile(casePath, sqlite));
        QVERIFY(writeFile(dbPath, sqlite));
        QVERIFY(writeFile(namelessPath, sqlite));
        QMimeDatabase db;
        QVERIFY2(db.mimeTypeForName(QStringLiteral("application/vnd.sqlite3")).isValid(),
            "the system MIME database has no SQLite type: install shared-mime-info (scripts/setup.sh)");
        const QMimeType caseType = db.mimeTypeForFile(casePath);
        QCOMPARE(caseType.name(), QStringLiteral("application/x-transfertrace-case"));
        QCOMPARE(caseType.comment(), QStringLiteral("TransferTrace case"));
        QCOMPARE(caseType.iconName(), applicationId());
        QVERIFY(caseType.inherits(QStringLiteral("application/vnd.sqlite3")));
        QCOMPARE(db.mimeTypeForFile(dbPath).name(), QStringLiteral("application/vnd.sqlite3"));
        QCOMPARE(db.mimeTypeForFile(namelessPath).name(), QStringLiteral("application/vnd.sqlite3"));
        // The name alone, before the file exists (a save dialog's filter).
        QCOMPARE(
            db.mimeTypeForFile(QStringLiteral("new.ttcase"), QMimeDatabase::MatchExtension).name(), caseType.name());
    }

    void metainfo()
    {
        const QString path
            = m_tree.share(QStringLiteral("metainfo/") + applicationId() + QStringLiteral(".metainfo.xml"));
        const QString err = xmlError(path);
        QVERIFY2(err.isEmpty(), qPrintable(err));
        const auto x = xmlTexts(path);
        QCOMPARE(one(x, QStringLiteral("component@type")), QStringLiteral("desktop-application"));
        QCOMPARE(one(x, QStringLiteral("component/id")), applicationId());
        const QString launchable = one(x, QStringLiteral("component/launchable"));
        QCOMPARE(launchable, applicationId() + QStringLiteral(".desktop"));
        QVERIFY(QFile::exists(m_tree.share(QStringLiteral("applications/") + launchable)));
        QCOMPARE(one(x, QStringLiteral("component/provides/binary")), QStringLiteral("transfertrace"));
        QCOMPARE(
            one(x, QStringLiteral("component/provides/mediatype")), QStringLiteral("application/x-transfertrace-case"));
        // The newest release listed is this build's version.
        QCOMPARE(one(x, QStringLiteral("component/releases/release@version")), QStringLiteral(TT_VERSION));
    }

    void icons_data()
    {
        QTest::addColumn<int>("size");
        for (int s : {16, 24, 32, 48, 64, 128, 256, 512})
            QTest::addRow("%dpx", s) << s;
    }

    void icons()
    {
        QFETCH(int, size);
        const QString path = m_tree.share(
            QStringLiteral("icons/hicolor/%1x%1/apps/").arg(size) + applicationId() + QStringLiteral(".png"));
        QImage img;
        QVERIFY2(img.load(path, "PNG"), qPrintable(path));
        QCOMPARE(img.size(), QSize(size, size));
        QVERIFY(img.hasAlphaChannel());
        // The rounded tile: (all but) transparent corners, an opaque middle.
        QVERIFY(qAlpha(img.pixel(0, 0)) < 32);
        QVERIFY(qAlpha(img.pixel(size - 1, size - 1)) < 32);
        QCOMPARE(qAlpha(img.pixel(size / 2, size * 3 / 4)), 255);
    }

    void scalableIcon()
    {
        const QString path
            = m_tree.share(QStringLiteral("icons/hicolor/scalable/apps/") + applicationId() + QStringLiteral(".svg"));
        QSvgRenderer svg(path);
        QVERIFY2(svg.isValid(), qPrintable(path));
        QCOMPARE(svg.defaultSize(), QSize(256, 256));
    }
};

QTEST_GUILESS_MAIN(TstInstall)
#include "tst_install.moc"
