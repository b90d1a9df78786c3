package dev.deepq.box2d;

import dev.deepq.env.RgbFrame;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import org.jbox2d.collision.shapes.PolygonShape;
import org.jbox2d.common.Transform;
import org.jbox2d.common.Vec2;
import org.jbox2d.dynamics.Body;
import org.jbox2d.dynamics.Fixture;

/**
 * Draws LunarLander like Gymnasium's pygame renderer, headless with Java2D: white background, the sky above the
 * terrain in black, the helipad flags, then the lander and its legs filled in (128, 102, 230) and outlined in
 * (77, 77, 128). World y points up; the picture is flipped so that it appears as on screen.
 */
final class LunarLanderRenderer {
    private static final Color BODY_FILL = new Color(128, 102, 230);
    private static final Color BODY_OUTLINE = new Color(77, 77, 128);
    private static final Color FLAG = new Color(204, 204, 0);

    private final int width;
    private final int height;
    private final double scale;
    private final BufferedImage image;
    private final Vec2 world = new Vec2();

    LunarLanderRenderer(int width, int height, double scale) {
        this.width = width;
        this.height = height;
        this.scale = scale;
        this.image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    }

    RgbFrame draw(double[] chunkX, double[] smoothY, double skyTop, double helipadX1, double helipadX2, double helipadY,
                  Body lander, Body[] legs) {
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            for (int i = 0; i + 1 < chunkX.length; i++) {
                Path2D.Double sky = new Path2D.Double();
                sky.moveTo(x(chunkX[i]), y(smoothY[i]));
                sky.lineTo(x(chunkX[i + 1]), y(smoothY[i + 1]));
                sky.lineTo(x(chunkX[i + 1]), y(skyTop));
                sky.lineTo(x(chunkX[i]), y(skyTop));
                sky.closePath();
                g.fill(sky);
                g.draw(sky);
            }
            for (double flagX : new double[] {helipadX1, helipadX2}) {
                double px = flagX * scale;
                double pole1 = helipadY * scale;
                double pole2 = pole1 + 50;
                g.setColor(Color.WHITE);
                g.setStroke(new BasicStroke(1f));
                g.draw(new java.awt.geom.Line2D.Double(px, height - pole1, px, height - pole2));
                Path2D.Double flag = new Path2D.Double();
                flag.moveTo(px, height - pole2);
                flag.lineTo(px, height - (pole2 - 10));
                flag.lineTo(px + 25, height - (pole2 - 5));
                flag.closePath();
                g.setColor(FLAG);
                g.fill(flag);
            }
            drawBody(g, lander);
            for (Body leg : legs) {
                drawBody(g, leg);
            }
        } finally {
            g.dispose();
        }
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        byte[] rgb = new byte[width * height * 3];
        for (int i = 0; i < pixels.length; i++) {
            int p = pixels[i];
            rgb[3 * i] = (byte) (p >> 16);
            rgb[3 * i + 1] = (byte) (p >> 8);
            rgb[3 * i + 2] = (byte) p;
        }
        return new RgbFrame(width, height, rgb);
    }

    private void drawBody(Graphics2D g, Body body) {
        Transform transform = body.getTransform();
        for (Fixture f = body.getFixtureList(); f != null; f = f.getNext()) {
            if (!(f.getShape() instanceof PolygonShape polygon)) {
                continue;
            }
            Path2D.Double path = new Path2D.Double();
            for (int v = 0; v < polygon.m_count; v++) {
                Transform.mulToOut(transform, polygon.m_vertices[v], world);
                if (v == 0) {
                    path.moveTo(x(world.x), y(world.y));
                } else {
                    path.lineTo(x(world.x), y(world.y));
                }
            }
            path.closePath();
            g.setColor(BODY_FILL);
            g.fill(path);
            g.setColor(BODY_OUTLINE);
            g.setStroke(new BasicStroke(1f));
            g.draw(path);
        }
    }

    private double x(double worldX) {
        return worldX * scale;
    }

    private double y(double worldY) {
        return height - worldY * scale;
    }
}
