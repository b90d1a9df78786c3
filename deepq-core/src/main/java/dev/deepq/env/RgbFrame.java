package dev.deepq.env;

/**
 * One rendered image: {@code height × width × 3} bytes, row-major RGB, as Gymnasium's {@code rgb_array}.
 */
public record RgbFrame(int width, int height, byte[] rgb) {
    public RgbFrame {
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("an RGB frame of " + width + "x" + height + " needs " + (width * height * 3)
                    + " bytes, got " + rgb.length);
        }
    }

    /** The pixel at (x, y) as 0xRRGGBB. */
    public int pixel(int x, int y) {
        int i = (y * width + x) * 3;
        return ((rgb[i] & 0xFF) << 16) | ((rgb[i + 1] & 0xFF) << 8) | (rgb[i + 2] & 0xFF);
    }
}
