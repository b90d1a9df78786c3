package dev.deepq.env.classic;

import dev.deepq.env.RgbFrame;

/** The 600x400 picture both MountainCar variants draw, as Gymnasium's: the valley, the car, the goal flag. */
final class MountainCarPicture {
    static final int WIDTH = 600;
    static final int HEIGHT = 400;
    private static final double MIN_POSITION = -1.2;
    private static final double MAX_POSITION = 0.6;
    private static final double SCALE = WIDTH / (MAX_POSITION - MIN_POSITION);
    private static final double CAR_WIDTH = 40;
    private static final double CAR_HEIGHT = 20;
    private static final double CLEARANCE = 10;
    private static final int CURVE_POINTS = 100;

    private MountainCarPicture() {}

    static RgbFrame draw(double position, double goalPosition) {
        Canvas canvas = new Canvas(WIDTH, HEIGHT);
        double[] xs = new double[CURVE_POINTS];
        double[] ys = new double[CURVE_POINTS];
        for (int i = 0; i < CURVE_POINTS; i++) {
            double x = MIN_POSITION + (MAX_POSITION - MIN_POSITION) * i / (CURVE_POINTS - 1);
            xs[i] = (x - MIN_POSITION) * SCALE;
            ys[i] = height(x) * SCALE;
        }
        canvas.polyline(xs, ys, CURVE_POINTS, Canvas.BLACK);

        // Gymnasium tilts the car by cos(3 * position) radians, not by the slope's angle; kept for the same look.
        double tilt = Math.cos(3 * position);
        double carX = (position - MIN_POSITION) * SCALE;
        double carY = CLEARANCE + height(position) * SCALE;
        canvas.rotatedRectangle(-CAR_WIDTH / 2, CAR_WIDTH / 2, CAR_HEIGHT, 0, tilt, carX, carY, Canvas.BLACK);
        for (double wheelOffset : new double[] {CAR_WIDTH / 4, -CAR_WIDTH / 4}) {
            int wheelX = (int) (wheelOffset * Math.cos(tilt) + carX);
            int wheelY = (int) (wheelOffset * Math.sin(tilt) + carY);
            canvas.disc(wheelX, wheelY, (int) (CAR_HEIGHT / 2.5), 0x808080);
        }

        int flagX = (int) ((goalPosition - MIN_POSITION) * SCALE);
        int flagY1 = (int) (height(goalPosition) * SCALE);
        int flagY2 = flagY1 + 50;
        canvas.line(flagX, flagY1, flagX, flagY2, Canvas.BLACK);
        canvas.polygon(new double[] {flagX, flagX, flagX + 25}, new double[] {flagY2, flagY2 - 10, flagY2 - 5}, 3,
                0xCCCC00);
        return canvas.toFrame();
    }

    private static double height(double x) {
        return Math.sin(3 * x) * 0.45 + 0.55;
    }
}
