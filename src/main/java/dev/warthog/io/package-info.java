/**
 * Reading and writing data sets: LIBSVM/SVMlight text ({@link dev.warthog.io.LibsvmReader},
 * {@link dev.warthog.io.LibsvmWriter}) and dense numeric CSV ({@link dev.warthog.io.CsvReader}),
 * with {@link dev.warthog.io.DataFiles} choosing by file extension.
 *
 * <p>The readers are strict: the first malformed line fails the whole read with a
 * {@link dev.warthog.data.DataFormatException} whose one-line message names the file, the
 * 1-based line and (byte) column, and what was expected. No partial data set is ever
 * returned. They parse bytes straight out of large read buffers (no per-line strings), so
 * a LIBSVM file loads at disk-cache speed.
 */
package dev.warthog.io;
