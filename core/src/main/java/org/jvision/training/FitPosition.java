package org.jvision.training;

/**
 * Where a fit stands between two batches: the epoch under way (1-based), how many of its batches are
 * done, and the running sums its logs are made of. A checkpoint saves it; a resumed fit starts
 * from it. At an epoch's end the position is the next epoch with no batch done.
 *
 * @param epoch   the epoch to run next or to finish, from 1
 * @param batch   batches of that epoch already done
 * @param lossSum the sum over the examples seen this epoch of their batch's loss
 * @param correct examples classified right this epoch
 * @param seen    examples seen this epoch
 */
public record FitPosition(int epoch, int batch, double lossSum, long correct, int seen) {
    public FitPosition {
        if (epoch < 1 || batch < 0 || seen < 0 || correct < 0 || correct > seen) {
            throw new IllegalArgumentException("not a fit position: epoch " + epoch + ", batch " + batch + ", " + correct
                    + " correct of " + seen);
        }
    }

    /** The start of training. */
    public static FitPosition start() {
        return new FitPosition(1, 0, 0, 0, 0);
    }

    /** The start of the epoch after {@code epoch}. */
    public static FitPosition after(int epoch) {
        return new FitPosition(epoch + 1, 0, 0, 0, 0);
    }
}
