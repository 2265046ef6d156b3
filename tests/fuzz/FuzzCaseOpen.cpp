#include "FuzzTargets.h"

#include "store/CaseStore.h"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;

// SQLite needs a file: one private folder per process, in memory (/dev/shm) when there is one,
// emptied after every input and removed when the process exits.
struct WorkDir {
    fs::path path;
    WorkDir()
    {
        std::string tmpl = (fs::is_directory("/dev/shm") ? std::string("/dev/shm") : fs::temp_directory_path().string())
            + "/tt-fuzz-case-XXXXXX";
        if (!::mkdtemp(tmpl.data())) {
            std::perror("mkdtemp");
            std::abort();
        }
        path = tmpl;
    }
    ~WorkDir()
    {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

const fs::path &workDir()
{
    static const WorkDir dir;
    return dir.path;
}

void writeFile(const fs::path &path, const uint8_t *data, size_t size)
{
    std::FILE *f = std::fopen(path.c_str(), "wb");
    if (!f || (size && std::fwrite(data, 1, size, f) != size) || std::fclose(f) != 0) {
        std::perror("fuzz case file");
        std::abort();
    }
}

void emptyWorkDir()
{
    for (const auto &entry : fs::directory_iterator(workDir()))
        fs::remove_all(entry.path());
}

void openAndRead(const std::string &path, tt::store::CaseStore::Access access)
{
    try {
        auto cs = tt::store::CaseStore::open(path, access);
        (void)cs->totals();
        (void)cs->hosts();
        (void)cs->sources();
        (void)cs->countsByChannelEventId();
        (void)cs->countsByHost();
    } catch (const std::exception &) {
        // Refusing a damaged or foreign file with a message is the expected outcome.
    }
}

} // namespace

// Opening a case file (schema checks, migrations): the input is the file. Read-only first (an
// older schema is migrated into a private copy), then read-write (migrated in place after a
// backup copy), the way the workbench and the CLI open a case.
int tt::fuzz::case_open(const uint8_t *data, size_t size)
{
    const fs::path path = workDir() / "fuzz.ttcase";
    writeFile(path, data, size);
    openAndRead(path.string(), store::CaseStore::Access::ReadOnly);
    emptyWorkDir();
    writeFile(path, data, size);
    openAndRead(path.string(), store::CaseStore::Access::ReadWrite);
    emptyWorkDir();
    return 0;
}
