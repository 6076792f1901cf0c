//! Cognito user pools (the Identity Provider JSON 1.1 protocol), with the pool
//! settings of the assembly's templates.
