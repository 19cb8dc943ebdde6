/** How busy the measured services' JIT compilers are, so a warm-up runs until their code is compiled. */
package org.vlab.ipam.bench.jit;
