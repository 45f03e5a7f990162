from .uda_distributed_data_parallel import UDADistributedDataParallel

__all__ = ['UDADistributedDataParallel']
