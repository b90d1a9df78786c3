package dev.deepq.env.classic;

import dev.deepq.env.RgbFrame;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Arc2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * A white drawing surface for the classic-control pictures, used the way Gymnasium uses its pygame surface: shapes
 * are drawn with y pointing up from the bottom row (pygame draws y-down and then flips the surface vertically, which
 * {@link #toFrame()} reproduces). Off-screen Java2D only, so it works headless.
 */
final class Canvas {
    static final int BLACK = 0x000000;

    private final int width;
    private final int height;
    private final BufferedImage image;
    private final Graphics2D graphics;
    private final double[] xs = new double[4];
    private final double[] ys = new double[4];

    Canvas(int width, int height) {
        this.width = width;
        this.height = height;
        this.image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        this.graphics = image.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        graphics.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        graphics.setColor(Color.WHITE);
        graphics.fillRect(0, 0, width, height);
    }

    /**
     * The rectangle with corners (l, b), (l, t), (r, t), (r, b), rotated by {@code angle} radians counter-clockwise
     * about the origin (pygame's {@code Vector2.rotate_rad}) and then moved by (dx, dy), filled and outlined.
     */
    void rotatedRectangle(double l, double r, double t, double b, double angle, double dx, double dy, int rgb) {
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        corner(0, l, b, cos, sin, dx, dy);
        corner(1, l, t, cos, sin, dx, dy);
        corner(2, r, t, cos, sin, dx, dy);
        corner(3, r, b, cos, sin, dx, dy);
        polygon(xs, ys, 4, rgb);
    }

    private void corner(int i, double x, double y, double cos, double sin, double dx, double dy) {
        xs[i] = x * cos - y * sin + dx;
        ys[i] = x * sin + y * cos + dy;
    }

    /** The first {@code n} points as a filled, outlined polygon. */
    void polygon(double[] px, double[] py, int n, int rgb) {
        Path2D.Double path = new Path2D.Double();
        path.moveTo(px[0], py[0]);
        for (int i = 1; i < n; i++) {
            path.lineTo(px[i], py[i]);
        }
        path.closePath();
        graphics.setColor(new Color(rgb));
        graphics.fill(path);
        graphics.draw(path);
    }

    /** A filled disc covering the pixels within {@code radius} of pixel (cx, cy), as pygame's filled_circle. */
    void disc(int cx, int cy, int radius, int rgb) {
        graphics.setColor(new Color(rgb));
        graphics.fill(new Ellipse2D.Double(cx - radius, cy - radius, 2 * radius + 1, 2 * radius + 1));
    }

    /** A one-pixel line. */
    void line(double x1, double y1, double x2, double y2, int rgb) {
        graphics.setColor(new Color(rgb));
        graphics.draw(new Line2D.Double(x1, y1, x2, y2));
    }

    /** A one-pixel open polyline through the first {@code n} points. */
    void polyline(double[] px, double[] py, int n, int rgb) {
        graphics.setColor(new Color(rgb));
        Path2D.Double path = new Path2D.Double();
        path.moveTo(px[0], py[0]);
        for (int i = 1; i < n; i++) {
            path.lineTo(px[i], py[i]);
        }
        graphics.draw(path);
    }

    /**
     * A circular arrow of the given outer size centred on (cx, cy): counter-clockwise (as seen in the final picture)
     * when {@code counterClockwise}, else clockwise. Stands in for Gymnasium's torque icon.
     */
    void circularArrow(double cx, double cy, double size, boolean counterClockwise, int rgb) {
        double radius = size * 0.4;
        float thickness = (float) Math.max(1.0, size * 0.08);
        graphics.setColor(new Color(rgb));
        graphics.setStroke(new BasicStroke(thickness));
        // Java2D arc angles run counter-clockwise on a y-down image; our y axis is flipped, so negate them.
        double start = 20;
        double extent = 270;
        graphics.draw(new Arc2D.Double(cx - radius, cy - radius, 2 * radius, 2 * radius, -start, -extent, Arc2D.OPEN));
        graphics.setStroke(new BasicStroke(1f));
        // The head sits at the end the rotation points to.
        double endAngle = Math.toRadians(counterClockwise ? start + extent : start);
        double direction = counterClockwise ? 1 : -1;
        double tipX = cx + radius * Math.cos(endAngle);
        double tipY = cy + radius * Math.sin(endAngle);
        double tangentX = -Math.sin(endAngle) * direction;
        double tangentY = Math.cos(endAngle) * direction;
        double head = size * 0.18;
        double[] hx = {tipX + tangentX * head, tipX - tangentY * head * 0.7, tipX + tangentY * head * 0.7};
        double[] hy = {tipY + tangentY * head, tipY + tangentX * head * 0.7, tipY - tangentX * head * 0.7};
        polygon(hx, hy, 3, rgb);
    }

    /** The picture as an RGB frame, top row first, after pygame's vertical flip. */
    RgbFrame toFrame() {
        graphics.dispose();
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        byte[] rgb = new byte[width * height * 3];
        int out = 0;
        for (int row = height - 1; row >= 0; row--) {
            for (int x = 0, in = row * width; x < width; x++, in++) {
                int p = pixels[in];
                rgb[out++] = (byte) (p >>> 16);
                rgb[out++] = (byte) (p >>> 8);
                rgb[out++] = (byte) p;
            }
        }
        return new RgbFrame(width, height, rgb);
    }
}
