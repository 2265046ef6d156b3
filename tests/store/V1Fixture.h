#pragma once

// Older schemas' case files (tests/fixtures/cases/schema-v1.ttcase.gz, schema-v5.ttcase.gz) for the migration
// tests, and whole-file reads to check a file was left byte for byte as it was.

#include <QByteArray>
#include <QFile>
#include <QString>

#include <zlib.h>

namespace tt::test {

inline QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Decompresses tests/fixtures/cases/NAME (a gzipped case file) to dest; false when it cannot.
inline bool unpackCaseFixture(const QString &name, const QString &dest)
{
    const QByteArray src
        = (QString::fromLocal8Bit(qgetenv("TT_FIXTURES_DIR")) + QStringLiteral("/cases/") + name).toLocal8Bit();
    gzFile in = gzopen(src.constData(), "rb");
    if (!in)
        return false;
    QFile out(dest);
    if (!out.open(QIODevice::WriteOnly)) {
        gzclose(in);
        return false;
    }
    char buf[65536];
    int n = 0;
    while ((n = gzread(in, buf, sizeof buf)) > 0)
        out.write(buf, n);
    gzclose(in);
    return n == 0;
}

// Decompresses the v1 fixture to dest; false when it cannot.
inline bool unpackV1Fixture(const QString &dest)
{
    return unpackCaseFixture(QStringLiteral("schema-v1.ttcase.gz"), dest);
}

// A v5 case made by the release before records moved into blocks (schema 6): JSON lines, event
// XML, Zeek TSV and one line over 4 KB (zstd-compressed payload), 16 events in 4 sources.
inline bool unpackV5Fixture(const QString &dest)
{
    return unpackCaseFixture(QStringLiteral("schema-v5.ttcase.gz"), dest);
}

} // namespace tt::test
