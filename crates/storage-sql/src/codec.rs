//! Engine-neutral encodings of values that are stored as bytes.

use switchboard_storage::StorageError;

/// An embedding as little-endian `f32` bytes: the same bytes on every platform and in both
/// engines, so a database can be moved between machines and vectors compare bit for bit.
pub fn embedding_bytes(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

pub fn parse_embedding(bytes: &[u8]) -> Result<Vec<f32>, StorageError> {
    let (floats, rest) = bytes.as_chunks::<4>();
    if !rest.is_empty() {
        return Err(StorageError::corrupt(format!(
            "embedding of {} bytes is not a whole number of f32s",
            bytes.len()
        )));
    }
    Ok(floats.iter().map(|b| f32::from_le_bytes(*b)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embeddings_round_trip_bit_exact_and_odd_lengths_are_corrupt() {
        let v = [0.0, -0.0, 1.5, f32::MIN_POSITIVE, f32::MAX, -1e-30];
        let bytes = embedding_bytes(&v);
        assert_eq!(bytes.len(), 24);
        assert_eq!(&bytes[8..12], &1.5f32.to_le_bytes());
        let back = parse_embedding(&bytes).unwrap();
        assert_eq!(back.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), v.map(f32::to_bits));
        assert!(parse_embedding(&bytes[..23]).is_err());
        assert_eq!(parse_embedding(&[]).unwrap(), Vec::<f32>::new());
    }
}
