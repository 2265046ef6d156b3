#include "AppIcons.h"

#include <QFile>
#include <QIcon>
#include <QImage>
#include <QPainter>
#include <QPixmap>
#include <QString>
#include <QSvgRenderer>

// Outside any namespace, as Q_INIT_RESOURCE requires. A static library's resources are registered
// by a static initialiser the linker drops when nothing references it: calling this keeps it.
static void initResources()
{
    Q_INIT_RESOURCE(transfertrace);
}

namespace tt {
namespace {
void ensureResources()
{
    static const bool once = (initResources(), true);
    (void)once;
}
} // namespace

QString applicationId()
{
    return QStringLiteral("org.transfertrace.TransferTrace");
}

QString applicationIconSvg(const QString &dir, int size)
{
    return dir + QLatin1Char('/') + applicationId()
        + (size <= 24 ? QStringLiteral("-small.svg") : QStringLiteral(".svg"));
}

QImage renderSvgIcon(const QString &svgFile, int size)
{
    QSvgRenderer svg(svgFile);
    if (!svg.isValid() || size <= 0)
        return {};
    QImage img(size, size, QImage::Format_ARGB32_Premultiplied);
    img.fill(Qt::transparent);
    QPainter p(&img);
    p.setRenderHint(QPainter::Antialiasing);
    svg.render(&p, QRectF(0, 0, size, size));
    p.end();
    return img.convertToFormat(QImage::Format_ARGB32);
}

QIcon themedIcon(const QString &freedesktopName)
{
    ensureResources();
    const QString ours = QStringLiteral(":/icons/actions/") + freedesktopName + QStringLiteral(".svg");
    return QIcon::fromTheme(freedesktopName, QFile::exists(ours) ? QIcon(ours) : QIcon());
}

QIcon applicationIcon()
{
    ensureResources();
    QIcon drawn;
    for (int size : {16, 24, 32, 48, 64, 128, 256, 512})
        drawn.addPixmap(QPixmap::fromImage(renderSvgIcon(applicationIconSvg(QStringLiteral(":/icons"), size), size)));
    return QIcon::fromTheme(applicationId(), drawn);
}

} // namespace tt
