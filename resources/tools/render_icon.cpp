// tt_render_icon: renders the application icon's SVGs into the PNG sizes a desktop's hicolor theme
// wants, at build time, so the PNGs never drift from the SVGs and no binary sits in git.
//
//   tt_render_icon ICON_DIR OUT_DIR SIZE...
// writes OUT_DIR/<size>x<size>/apps/<application id>.png, drawn from the SVG in ICON_DIR that
// tt::applicationIconSvg picks for that size.
#include "AppIcons.h"

#include <QDir>
#include <QImage>
#include <QString>

#include <cstdio>
#include <cstdlib>

int main(int argc, char **argv)
{
    if (argc < 4) {
        std::fputs("usage: tt_render_icon ICON_DIR OUT_DIR SIZE...\n", stderr);
        return 2;
    }
    const QString iconDir = QString::fromLocal8Bit(argv[1]);
    const QString outDir = QString::fromLocal8Bit(argv[2]);
    for (int i = 3; i < argc; ++i) {
        char *end = nullptr;
        const long size = std::strtol(argv[i], &end, 10);
        if (end == argv[i] || *end || size < 8 || size > 1024) {
            std::fprintf(stderr, "tt_render_icon: bad size '%s' (8 to 1024)\n", argv[i]);
            return 2;
        }
        const int px = static_cast<int>(size);
        const QString source = tt::applicationIconSvg(iconDir, px);
        const QImage img = tt::renderSvgIcon(source, px);
        if (img.isNull()) {
            std::fprintf(stderr, "tt_render_icon: %s: not a valid SVG\n", qPrintable(source));
            return 1;
        }
        const QString dir = outDir + QStringLiteral("/%1x%1/apps").arg(px);
        const QString out = dir + QLatin1Char('/') + tt::applicationId() + QStringLiteral(".png");
        if (!QDir().mkpath(dir) || !img.save(out, "PNG")) {
            std::fprintf(stderr, "tt_render_icon: cannot write %s\n", qPrintable(out));
            return 1;
        }
    }
    return 0;
}
