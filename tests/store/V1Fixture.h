#pragma once

// The previous schema's case file (tests/fixtures/cases/schema-v1.ttcase.gz) for the migration
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

// Decompresses the v1 fixture to dest; false when it cannot.
inline bool unpackV1Fixture(const QString &dest)
{
    const QByteArray src
        = (QString::fromLocal8Bit(qgetenv("TT_FIXTURES_DIR")) + QStringLiteral("/cases/schema-v1.ttcase.gz"))
              .toLocal8Bit();
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

} // namespace tt::test
