package dev.deepq.cli;

import dev.deepq.env.RgbFrame;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * An animated GIF written frame by frame with the JDK's own GIF writer ({@code javax.imageio}): every frame carries
 * its delay, the first the NETSCAPE2.0 extension that makes viewers loop forever. Frames with at most 256 colors (the
 * classic-control pictures) are indexed exactly; others are quantized by the writer.
 */
final class GifWriter implements Closeable {
    private static final String FORMAT = "javax_imageio_gif_image_1.0";

    private final ImageWriter writer;
    private final ImageOutputStream stream;
    private final int delayCentiseconds;
    private final double scale;
    private int frames;

    /**
     * @param fps frames per second of playback (GIF delays are in hundredths of a second)
     * @param scale picture size factor, e.g. 0.5 for half width and height
     */
    GifWriter(OutputStream out, double fps, double scale) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("gif");
        if (!writers.hasNext()) {
            throw new IOException("this JVM has no GIF writer");
        }
        this.writer = writers.next();
        this.stream = ImageIO.createImageOutputStream(out);
        this.writer.setOutput(stream);
        this.writer.prepareWriteSequence(null);
        this.delayCentiseconds = Math.max(1, (int) Math.round(100 / fps));
        this.scale = scale;
    }

    int frames() {
        return frames;
    }

    void add(RgbFrame frame) throws IOException {
        BufferedImage image = toImage(frame);
        if (scale != 1.0) {
            image = scaled(image);
        }
        BufferedImage indexed = indexed(image);
        BufferedImage written = indexed != null ? indexed : image;
        ImageWriteParam param = writer.getDefaultWriteParam();
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(written), param);
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(FORMAT);
        IIOMetadataNode control = child(root, "GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", "FALSE");
        control.setAttribute("delayTime", Integer.toString(delayCentiseconds));
        control.setAttribute("transparentColorIndex", "0");
        if (frames == 0) {
            IIOMetadataNode extensions = child(root, "ApplicationExtensions");
            IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
            loop.setAttribute("applicationID", "NETSCAPE");
            loop.setAttribute("authenticationCode", "2.0");
            loop.setUserObject(new byte[] {1, 0, 0}); // sub-block 1, loop count 0 = forever
            extensions.appendChild(loop);
        }
        metadata.setFromTree(FORMAT, root);
        writer.writeToSequence(new IIOImage(written, null, metadata), param);
        frames++;
    }

    @Override
    public void close() throws IOException {
        try {
            writer.endWriteSequence();
        } finally {
            stream.close();
            writer.dispose();
        }
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }

    static BufferedImage toImage(RgbFrame frame) {
        BufferedImage image = new BufferedImage(frame.width(), frame.height(), BufferedImage.TYPE_INT_RGB);
        byte[] rgb = frame.rgb();
        int[] row = new int[frame.width()];
        for (int y = 0; y < frame.height(); y++) {
            int base = y * frame.width() * 3;
            for (int x = 0; x < frame.width(); x++) {
                int i = base + 3 * x;
                row[x] = ((rgb[i] & 0xFF) << 16) | ((rgb[i + 1] & 0xFF) << 8) | (rgb[i + 2] & 0xFF);
            }
            image.setRGB(0, y, frame.width(), 1, row, 0, frame.width());
        }
        return image;
    }

    private BufferedImage scaled(BufferedImage image) {
        int w = Math.max(1, (int) Math.round(image.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(image.getHeight() * scale));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    /** The image with an exact palette when it has at most 256 colors, else null. */
    private static BufferedImage indexed(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] pixels = image.getRGB(0, 0, w, h, null, 0, w);
        Map<Integer, Integer> palette = new HashMap<>();
        byte[] indices = new byte[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            int color = pixels[i] & 0xFFFFFF;
            Integer index = palette.get(color);
            if (index == null) {
                if (palette.size() == 256) {
                    return null;
                }
                index = palette.size();
                palette.put(color, index);
            }
            indices[i] = (byte) (int) index;
        }
        int size = Math.max(2, palette.size());
        byte[] r = new byte[size];
        byte[] g = new byte[size];
        byte[] b = new byte[size];
        for (Map.Entry<Integer, Integer> e : palette.entrySet()) {
            int c = e.getKey();
            int i = e.getValue();
            r[i] = (byte) (c >> 16);
            g[i] = (byte) (c >> 8);
            b[i] = (byte) c;
        }
        IndexColorModel model = new IndexColorModel(8, size, r, g, b);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, model);
        out.getRaster().setDataElements(0, 0, w, h, indices);
        return out;
    }
}
