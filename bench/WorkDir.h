#pragma once

#include <QString>
#include <QTemporaryDir>

#include <cstdio>

// An invalid QTemporaryDir (a --workdir that does not exist or is not writable) has an empty
// path, and "" + "/bench.ttcase" is a file at the root of the file system: every bench checks its
// work folder with this before it writes anything, and refuses a bad one.
inline bool workDirUsable(const QTemporaryDir &tmp, const char *tool)
{
    if (tmp.isValid() && !tmp.path().isEmpty())
        return true;
    std::fprintf(stderr, "%s: cannot create a work folder: %s (does --workdir exist and is it writable?)\n", tool,
        qPrintable(tmp.errorString()));
    return false;
}
