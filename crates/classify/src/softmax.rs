//! Multinomial logistic regression: the loss and gradient over a design of dense embedding
//! columns followed by sparse lexical columns, and the forward pass used to predict.
//!
//! Parameters are laid out feature-major (`weights[j * k + c]`), then `k` biases, so that
//! each feature touches one contiguous row of `k` weights: the inner loops are plain
//! `a * x + y` over a row, which the compiler vectorises.

use crate::features::Sparse;

/// Training rows: the dense block (`dims` per row, may be 0) and the sparse block.
pub(crate) struct Design<'a> {
    pub dims: usize,
    pub dense: &'a [f32],
    pub sparse: &'a [Sparse],
    pub labels: &'a [u32],
}

#[inline]
fn axpy(a: f32, x: &[f32], y: &mut [f32]) {
    for (y, x) in y.iter_mut().zip(x) {
        *y += a * x;
    }
}

/// Class scores for one row: `bias + x · W`.
pub(crate) fn scores(params: &[f32], k: usize, dense: &[f32], sparse: &Sparse, out: &mut [f32]) {
    let features = (params.len() - k) / k;
    out.copy_from_slice(&params[features * k..]);
    for (j, &x) in dense.iter().enumerate() {
        if x != 0.0 {
            axpy(x, &params[j * k..(j + 1) * k], out);
        }
    }
    let base = dense.len();
    for (&j, &x) in sparse.indices.iter().zip(&sparse.values) {
        let j = base + j as usize;
        axpy(x, &params[j * k..(j + 1) * k], out);
    }
}

/// Turns scores into probabilities in place; returns the log of the normaliser.
pub(crate) fn softmax(z: &mut [f32]) -> f64 {
    let max = z.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0f64;
    for v in z.iter_mut() {
        *v = (*v - max).exp();
        sum += f64::from(*v);
    }
    let inv = (1.0 / sum) as f32;
    z.iter_mut().for_each(|v| *v *= inv);
    f64::from(max) + sum.ln()
}

/// Mean cross-entropy plus `lambda / 2 · |W|²` (biases unpenalised); writes the gradient.
pub(crate) fn loss_and_gradient(
    design: &Design<'_>,
    k: usize,
    lambda: f32,
    params: &[f32],
    grad: &mut [f32],
) -> f64 {
    let n = design.labels.len();
    let features = (params.len() - k) / k;
    grad.fill(0.0);
    let mut z = vec![0.0f32; k];
    let mut loss = 0.0f64;
    for i in 0..n {
        let dense = &design.dense[i * design.dims..(i + 1) * design.dims];
        let sparse = &design.sparse[i];
        scores(params, k, dense, sparse, &mut z);
        let y = design.labels[i] as usize;
        let raw = f64::from(z[y]);
        loss += softmax(&mut z) - raw;
        z[y] -= 1.0;
        for (j, &x) in dense.iter().enumerate() {
            if x != 0.0 {
                axpy(x, &z, &mut grad[j * k..(j + 1) * k]);
            }
        }
        for (&j, &x) in sparse.indices.iter().zip(&sparse.values) {
            let j = design.dims + j as usize;
            axpy(x, &z, &mut grad[j * k..(j + 1) * k]);
        }
        axpy(1.0, &z, &mut grad[features * k..]);
    }
    let inv_n = 1.0 / n as f32;
    grad.iter_mut().for_each(|g| *g *= inv_n);
    let mut penalty = 0.0f64;
    for (g, w) in grad[..features * k].iter_mut().zip(&params[..features * k]) {
        *g += lambda * w;
        penalty += f64::from(*w) * f64::from(*w);
    }
    loss / n as f64 + 0.5 * f64::from(lambda) * penalty
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_finite_differences() {
        let dense = [0.6f32, -0.8, 0.0, 1.0, 0.3, 0.4];
        let sparse = vec![
            Sparse { indices: vec![0, 2], values: vec![0.6, 0.8] },
            Sparse { indices: vec![1], values: vec![1.0] },
            Sparse::default(),
        ];
        let labels = [0u32, 2, 1];
        let design = Design { dims: 2, dense: &dense, sparse: &sparse, labels: &labels };
        let k = 3;
        let params: Vec<f32> =
            (0..(2 + 3) * k + k).map(|i| ((i * 7 % 5) as f32 - 2.0) * 0.1).collect();
        let mut grad = vec![0.0; params.len()];
        loss_and_gradient(&design, k, 0.05, &params, &mut grad);
        let mut scratch = vec![0.0; params.len()];
        for i in 0..params.len() {
            let (mut up, mut down) = (params.clone(), params.clone());
            up[i] += 1e-2;
            down[i] -= 1e-2;
            let numeric = (loss_and_gradient(&design, k, 0.05, &up, &mut scratch)
                - loss_and_gradient(&design, k, 0.05, &down, &mut scratch))
                / 2e-2;
            assert!(
                (numeric - f64::from(grad[i])).abs() < 1e-3,
                "param {i}: {numeric} vs {}",
                grad[i]
            );
        }
    }

    #[test]
    fn softmax_sums_to_one_without_overflow() {
        let mut z = [1000.0f32, 999.0, -5.0];
        softmax(&mut z);
        assert!((z.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert!(z[0] > z[1] && z[1] > z[2]);
    }
}
